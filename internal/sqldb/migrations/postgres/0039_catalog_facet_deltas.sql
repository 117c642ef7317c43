-- A transaction writing many catalog entries (a catalog import) adds to
-- the same few rows of catalog_facet_counts for each of them: on
-- PostgreSQL every update of a row adds a version of it that each later
-- update in the transaction steps past, one by one, until the commit, so
-- that such an import slowed down entry by entry. When the transaction has
-- set hutong.facet_deltas (catalog.DeferFacetCounts), the trigger appends
-- each change to its temporary table catalog_facet_deltas instead, rows
-- that are only inserted, and the transaction adds their sums to
-- catalog_facet_counts once, before it commits. Otherwise the trigger
-- counts as before (migration 0031).
CREATE OR REPLACE FUNCTION catalog_facet_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('hutong.facet_deltas', true) = 'on' THEN
		IF TG_OP <> 'INSERT' THEN
		INSERT INTO pg_temp.catalog_facet_deltas (status, share_type, facet, value, n)
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
		) f WHERE true;
		END IF;
		IF TG_OP <> 'DELETE' THEN
		INSERT INTO pg_temp.catalog_facet_deltas (status, share_type, facet, value, n)
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
		) f WHERE true;
		END IF;
		RETURN NULL;
	END IF;
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
