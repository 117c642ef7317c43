-- The subject kind (主体类型) is a facet of catalog search like the others
-- (catalog.facetNames): catalog_facet_counts (migration 0005) counts the
-- entries per subject kind too, so that browsing without a query counts it
-- without a scan. The triggers that keep the counts are made again with
-- the subject kind among the facets and the columns whose update they
-- follow, and the counts of the entries stored before are added.
-- catalog.facetCountsSQL adds a bulk load's counts the same way.
--
-- Dropping the trigger first locks catalog_entries against writers until
-- the commit, so that no entry is written between the counts added below
-- and the new trigger.
DROP TRIGGER catalog_facet_count ON catalog_entries;

CREATE OR REPLACE FUNCTION catalog_facet_count() RETURNS trigger LANGUAGE plpgsql AS $$
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
		UNION ALL SELECT 'subject_kind', OLD.subject_kind
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
		UNION ALL SELECT 'subject_kind', NEW.subject_kind
		UNION ALL SELECT 'share_methods', 'query' WHERE NEW.share_methods & 1 <> 0
		UNION ALL SELECT 'share_methods', 'verify' WHERE NEW.share_methods & 2 <> 0
		UNION ALL SELECT 'share_methods', 'batch' WHERE NEW.share_methods & 4 <> 0
		UNION ALL SELECT 'share_methods', 'file' WHERE NEW.share_methods & 8 <> 0
	) f WHERE true
	ON CONFLICT (status, share_type, facet, value) DO UPDATE SET n = catalog_facet_counts.n + excluded.n;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER catalog_facet_count AFTER INSERT OR DELETE OR UPDATE OF status, department_id, domain, share_type, share_methods, update_frequency, security_level, open_attribute, subject_kind ON catalog_entries
	FOR EACH ROW EXECUTE FUNCTION catalog_facet_count();

INSERT INTO catalog_facet_counts (status, share_type, facet, value, n)
SELECT status, share_type, 'subject_kind', subject_kind, COUNT(*) FROM catalog_entries GROUP BY status, share_type, subject_kind;
