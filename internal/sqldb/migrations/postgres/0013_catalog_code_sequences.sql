-- Until now a resource code imported from a file or a registration moved its
-- classification's sequence past any sequence it held, however long
-- (301001/999999999999 made every later code 13 digits long, and one near the
-- 64-bit limit made every later code fail). Generated sequences have six
-- digits (internal/catalog/store.go): a sequence moved past 999999 goes back
-- to the largest six-digit sequence in use.
UPDATE catalog_code_sequences SET last = COALESCE((
	SELECT MAX(CAST(substr(e.code, length(catalog_code_sequences.class_code) + 2) AS BIGINT))
	FROM catalog_entries e
	WHERE e.code LIKE catalog_code_sequences.class_code || '/%'
		AND length(e.code) = length(catalog_code_sequences.class_code) + 7), 0)
WHERE last > 999999;

-- One row that every transaction submitting, approving or retiring a catalog
-- entry, importing a registration or deciding a source conflict updates
-- first (internal/catalog/source.go, lockSources): on PostgreSQL two
-- approvals could otherwise both publish the same items without the
-- one-source decision, each detecting conflicts before the other committed.
-- refresh_pending: the first to take it detects again the conflicts of every
-- submitted version, once: those submitted before a rival's publication
-- refreshed the conflicts of the reviews under way may lack some, which
-- approval would then find and refuse without the reviewer ever seeing them.
CREATE TABLE catalog_source_lock (
	id              INTEGER PRIMARY KEY,
	refresh_pending BOOLEAN NOT NULL
);
INSERT INTO catalog_source_lock (id, refresh_pending) VALUES (1, TRUE);
