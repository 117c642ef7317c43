-- Fast catalog search (docs/catalog-search.md).
--
-- 1. Every posting row of catalog_search_tokens carries, denormalised from
--    its entry, what search filters, ranks and counts facets on: attrs packs
--    the coded columns (status, share type, share methods, update frequency,
--    security level, open attribute, subject kind, domain) as vocabulary
--    indexes (catalog.attrsSQL, held verbatim below), plus department_id and
--    updated_at. One range scan of a token's postings then answers a query
--    without touching catalog_entries. index() in Go writes these columns
--    with the tokens; the trigger catalog_search_sync keeps them in step
--    when the entry row changes afterwards (review, retirement).
-- 2. catalog_facet_counts counts entries per status, share type and facet
--    value, kept by triggers on catalog_entries in the same transaction, so
--    that browsing without a query counts facets without a scan.
-- 3. An index on name_key finds exact name matches.

ALTER TABLE catalog_search_tokens
	ADD COLUMN attrs INTEGER NOT NULL DEFAULT 0,
	ADD COLUMN department_id BIGINT NOT NULL DEFAULT 0,
	ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT '1970-01-01 00:00:00+00';
-- The primary key covers every column search reads, for index-only scans
-- (which need the visibility map that autovacuum keeps).
ALTER TABLE catalog_search_tokens DROP CONSTRAINT catalog_search_tokens_pkey,
	ADD PRIMARY KEY (token, entry_id) INCLUDE (fields, attrs, department_id, updated_at);

UPDATE catalog_search_tokens SET attrs = ((CASE e.status WHEN 'draft' THEN 0 WHEN 'submitted' THEN 1 WHEN 'rejected' THEN 2 WHEN 'published' THEN 3 WHEN 'superseded' THEN 4 WHEN 'retired' THEN 5 ELSE 7 END) + 8 * (CASE e.share_type WHEN 'unconditional' THEN 0 WHEN 'conditional' THEN 1 WHEN 'none' THEN 2 ELSE 3 END) + 32 * (e.share_methods & 15) + 512 * (CASE e.update_frequency WHEN 'realtime' THEN 0 WHEN 'daily' THEN 1 WHEN 'weekly' THEN 2 WHEN 'monthly' THEN 3 WHEN 'quarterly' THEN 4 WHEN 'yearly' THEN 5 WHEN 'other' THEN 6 ELSE 15 END) + 8192 * (CASE WHEN e.security_level BETWEEN 1 AND 4 THEN e.security_level ELSE 7 END) + 65536 * (CASE e.open_attribute WHEN 'open' THEN 0 WHEN 'conditional' THEN 1 WHEN 'closed' THEN 2 ELSE 3 END) + 262144 * (CASE e.subject_kind WHEN 'person' THEN 0 WHEN 'legal_entity' THEN 1 WHEN 'none' THEN 2 ELSE 3 END) + 1048576 * (CASE e.domain WHEN '01' THEN 0 WHEN '02' THEN 1 WHEN '03' THEN 2 WHEN '04' THEN 3 WHEN '05' THEN 4 WHEN '06' THEN 5 WHEN '07' THEN 6 WHEN '08' THEN 7 WHEN '09' THEN 8 WHEN '10' THEN 9 WHEN '11' THEN 10 WHEN '12' THEN 11 WHEN '13' THEN 12 WHEN '14' THEN 13 WHEN '15' THEN 14 WHEN '16' THEN 15 WHEN '17' THEN 16 WHEN '18' THEN 17 WHEN '19' THEN 18 WHEN '20' THEN 19 WHEN '21' THEN 20 WHEN '22' THEN 21 WHEN '99' THEN 22 ELSE 63 END)),
	department_id = e.department_id, updated_at = e.updated_at
	FROM catalog_entries e WHERE e.id = catalog_search_tokens.entry_id;

CREATE INDEX catalog_entries_name_key ON catalog_entries (name_key);

CREATE TABLE catalog_facet_counts (
	status     TEXT NOT NULL,
	share_type TEXT NOT NULL,
	facet      TEXT NOT NULL,
	value      TEXT NOT NULL,
	n          BIGINT NOT NULL,
	PRIMARY KEY (status, share_type, facet, value)
);
INSERT INTO catalog_facet_counts (status, share_type, facet, value, n)
SELECT status, share_type, 'department_id', CAST(department_id AS TEXT), COUNT(*) FROM catalog_entries GROUP BY status, share_type, department_id
UNION ALL SELECT status, share_type, 'domain', domain, COUNT(*) FROM catalog_entries GROUP BY status, share_type, domain
UNION ALL SELECT status, share_type, 'share_type', share_type, COUNT(*) FROM catalog_entries GROUP BY status, share_type
UNION ALL SELECT status, share_type, 'update_frequency', update_frequency, COUNT(*) FROM catalog_entries GROUP BY status, share_type, update_frequency
UNION ALL SELECT status, share_type, 'security_level', CAST(security_level AS TEXT), COUNT(*) FROM catalog_entries GROUP BY status, share_type, security_level
UNION ALL SELECT status, share_type, 'open_attribute', open_attribute, COUNT(*) FROM catalog_entries GROUP BY status, share_type, open_attribute
UNION ALL SELECT status, share_type, 'share_methods', 'query', COUNT(*) FROM catalog_entries WHERE share_methods & 1 <> 0 GROUP BY status, share_type
UNION ALL SELECT status, share_type, 'share_methods', 'verify', COUNT(*) FROM catalog_entries WHERE share_methods & 2 <> 0 GROUP BY status, share_type
UNION ALL SELECT status, share_type, 'share_methods', 'batch', COUNT(*) FROM catalog_entries WHERE share_methods & 4 <> 0 GROUP BY status, share_type
UNION ALL SELECT status, share_type, 'share_methods', 'file', COUNT(*) FROM catalog_entries WHERE share_methods & 8 <> 0 GROUP BY status, share_type;

CREATE FUNCTION catalog_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE catalog_search_tokens SET attrs = ((CASE NEW.status WHEN 'draft' THEN 0 WHEN 'submitted' THEN 1 WHEN 'rejected' THEN 2 WHEN 'published' THEN 3 WHEN 'superseded' THEN 4 WHEN 'retired' THEN 5 ELSE 7 END) + 8 * (CASE NEW.share_type WHEN 'unconditional' THEN 0 WHEN 'conditional' THEN 1 WHEN 'none' THEN 2 ELSE 3 END) + 32 * (NEW.share_methods & 15) + 512 * (CASE NEW.update_frequency WHEN 'realtime' THEN 0 WHEN 'daily' THEN 1 WHEN 'weekly' THEN 2 WHEN 'monthly' THEN 3 WHEN 'quarterly' THEN 4 WHEN 'yearly' THEN 5 WHEN 'other' THEN 6 ELSE 15 END) + 8192 * (CASE WHEN NEW.security_level BETWEEN 1 AND 4 THEN NEW.security_level ELSE 7 END) + 65536 * (CASE NEW.open_attribute WHEN 'open' THEN 0 WHEN 'conditional' THEN 1 WHEN 'closed' THEN 2 ELSE 3 END) + 262144 * (CASE NEW.subject_kind WHEN 'person' THEN 0 WHEN 'legal_entity' THEN 1 WHEN 'none' THEN 2 ELSE 3 END) + 1048576 * (CASE NEW.domain WHEN '01' THEN 0 WHEN '02' THEN 1 WHEN '03' THEN 2 WHEN '04' THEN 3 WHEN '05' THEN 4 WHEN '06' THEN 5 WHEN '07' THEN 6 WHEN '08' THEN 7 WHEN '09' THEN 8 WHEN '10' THEN 9 WHEN '11' THEN 10 WHEN '12' THEN 11 WHEN '13' THEN 12 WHEN '14' THEN 13 WHEN '15' THEN 14 WHEN '16' THEN 15 WHEN '17' THEN 16 WHEN '18' THEN 17 WHEN '19' THEN 18 WHEN '20' THEN 19 WHEN '21' THEN 20 WHEN '22' THEN 21 WHEN '99' THEN 22 ELSE 63 END)),
		department_id = NEW.department_id, updated_at = NEW.updated_at
		WHERE entry_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER catalog_search_sync AFTER UPDATE OF status, department_id, domain, share_type, share_methods, update_frequency, security_level, open_attribute, subject_kind, updated_at ON catalog_entries
	FOR EACH ROW EXECUTE FUNCTION catalog_search_sync();

CREATE FUNCTION catalog_facet_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
	INSERT INTO catalog_facet_counts (status, share_type, facet, value, n)
	SELECT OLD.status, OLD.share_type, f.facet, f.value, -1 FROM (
		SELECT 'department_id' AS facet, CAST(OLD.department_id AS TEXT) AS value
		UNION ALL SELECT 'domain', OLD.domain
		UNION ALL SELECT 'share_type', OLD.share_type
		UNION ALL SELECT 'update_frequency', OLD.update_frequency
		UNION ALL SELECT 'security_level', CAST(OLD.security_level AS TEXT)
		UNION ALL SELECT 'open_attribute', OLD.open_attribute
		UNION ALL SELECT 'share_methods', 'query' WHERE OLD.share_methods & 1 <> 0
		UNION ALL SELECT 'share_methods', 'verify' WHERE OLD.share_methods & 2 <> 0
		UNION ALL SELECT 'share_methods', 'batch' WHERE OLD.share_methods & 4 <> 0
		UNION ALL SELECT 'share_methods', 'file' WHERE OLD.share_methods & 8 <> 0
	) f WHERE true
	ON CONFLICT (status, share_type, facet, value) DO UPDATE SET n = catalog_facet_counts.n + excluded.n;
	END IF;
	IF TG_OP <> 'DELETE' THEN
	INSERT INTO catalog_facet_counts (status, share_type, facet, value, n)
	SELECT NEW.status, NEW.share_type, f.facet, f.value, 1 FROM (
		SELECT 'department_id' AS facet, CAST(NEW.department_id AS TEXT) AS value
		UNION ALL SELECT 'domain', NEW.domain
		UNION ALL SELECT 'share_type', NEW.share_type
		UNION ALL SELECT 'update_frequency', NEW.update_frequency
		UNION ALL SELECT 'security_level', CAST(NEW.security_level AS TEXT)
		UNION ALL SELECT 'open_attribute', NEW.open_attribute
		UNION ALL SELECT 'share_methods', 'query' WHERE NEW.share_methods & 1 <> 0
		UNION ALL SELECT 'share_methods', 'verify' WHERE NEW.share_methods & 2 <> 0
		UNION ALL SELECT 'share_methods', 'batch' WHERE NEW.share_methods & 4 <> 0
		UNION ALL SELECT 'share_methods', 'file' WHERE NEW.share_methods & 8 <> 0
	) f WHERE true
	ON CONFLICT (status, share_type, facet, value) DO UPDATE SET n = catalog_facet_counts.n + excluded.n;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER catalog_facet_count AFTER INSERT OR DELETE OR UPDATE OF status, department_id, domain, share_type, share_methods, update_frequency, security_level, open_attribute ON catalog_entries
	FOR EACH ROW EXECUTE FUNCTION catalog_facet_count();
