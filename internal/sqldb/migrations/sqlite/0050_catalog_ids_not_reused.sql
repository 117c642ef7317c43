-- An id once given names one object only: a catalog entry's or a source
-- conflict's id is not given again after the row is deleted (an entry
-- deleted as a draft, a conflict dropped when its version is discarded,
-- deleted or resubmitted). SQLite gives a new row the largest id in use
-- plus one, the id of the last row deleted again, which the audit log, an
-- idempotent request's replay and a client's stale link then name beside
-- the new row. AUTOINCREMENT keeps the largest id ever given in
-- sqlite_sequence, written in the inserting transaction under SQLite's
-- one writer lock, so concurrent writers never take the same id. (The
-- identity columns of PostgreSQL do not give an id again: 0050 is empty
-- there.)
--
-- SQLite cannot add AUTOINCREMENT to a table: both tables are rebuilt.
-- Migrations run in a transaction with foreign keys enforced, where
-- PRAGMA foreign_keys cannot be turned off, and the rows of other tables
-- name catalog_entries (id). So the checks are deferred to the commit
-- (defer_foreign_keys, reset when the transaction ends), each table's rows
-- are held in a copy, the table is dropped (its child rows are counted as
-- violations) and created again under its own name, not renamed (a rename
-- would make the children name the renamed table), and its rows inserted
-- again with their ids (which clears those counts: a child without its
-- parent would fail the commit). The facet counts stay as they are: a drop
-- fires no trigger, and the triggers, dropped with the table, are created
-- again after the rows are back, with every index.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE catalog_source_conflicts_held AS SELECT * FROM catalog_source_conflicts;
DROP TABLE catalog_source_conflicts;
CREATE TABLE catalog_source_conflicts (
	id                     INTEGER PRIMARY KEY AUTOINCREMENT,
	entry_id               BIGINT NOT NULL REFERENCES catalog_entries (id),
	version                INTEGER NOT NULL,
	subject_kind           TEXT NOT NULL,
	item_key               TEXT NOT NULL,
	item_name              TEXT NOT NULL,
	candidates             TEXT NOT NULL,          -- JSON list of SourceRef
	authoritative_entry_id BIGINT REFERENCES catalog_entries (id),
	decided_by             TEXT NOT NULL DEFAULT '',
	decided_at             TIMESTAMP,
	created_at             TIMESTAMP NOT NULL,
	UNIQUE (entry_id, version, item_key)
);
INSERT INTO catalog_source_conflicts SELECT * FROM catalog_source_conflicts_held ORDER BY id;
DROP TABLE catalog_source_conflicts_held;

CREATE TABLE catalog_entries_held AS SELECT * FROM catalog_entries;
DROP TABLE catalog_entries;
CREATE TABLE catalog_entries (
	id                INTEGER PRIMARY KEY AUTOINCREMENT,
	code              TEXT NOT NULL UNIQUE,      -- classification code '/' sequence
	department_id     BIGINT NOT NULL REFERENCES departments (id),
	status            TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'rejected', 'published', 'retired')),
	version           INTEGER NOT NULL,           -- version whose metadata is in data
	published_version INTEGER NOT NULL DEFAULT 0,
	working_version   INTEGER NOT NULL DEFAULT 0, -- version being compiled or reviewed
	name              TEXT NOT NULL,
	name_key          TEXT NOT NULL,              -- width-folded name for exact and substring ranking
	abstract          TEXT NOT NULL,
	domain            TEXT NOT NULL,
	share_type        TEXT NOT NULL,
	share_methods     INTEGER NOT NULL,           -- bit set: 1 query, 2 verify, 4 batch, 8 file
	update_frequency  TEXT NOT NULL,
	security_level    INTEGER NOT NULL,
	open_attribute    TEXT NOT NULL,
	subject_kind      TEXT NOT NULL,
	data              TEXT NOT NULL,              -- JSON of the Resource
	created_at        TIMESTAMP NOT NULL,
	updated_at        TIMESTAMP NOT NULL,
	reviewed_at       TIMESTAMP,
	published_at      TIMESTAMP,
	revision_state    TEXT NOT NULL DEFAULT '' CHECK (revision_state IN ('', 'draft', 'submitted', 'rejected')),
	discarded_version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO catalog_entries SELECT * FROM catalog_entries_held ORDER BY id;
DROP TABLE catalog_entries_held;

-- The ids of entries deleted before this migration above the largest left
-- are not given again either: each deletion's audit row names its entry.
INSERT INTO sqlite_sequence (name, seq) SELECT 'catalog_entries', 0
	WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'catalog_entries');
UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max(CAST(object_id AS INTEGER)), 0) FROM audit_log
	WHERE action = 'catalog.delete' AND object_type = 'catalog_entry'))
	WHERE name = 'catalog_entries';

CREATE INDEX catalog_entries_status_updated ON catalog_entries (status, updated_at, id);
CREATE INDEX catalog_entries_status_name ON catalog_entries (status, name, id);
CREATE INDEX catalog_entries_department ON catalog_entries (department_id, status);
CREATE INDEX catalog_entries_name_key ON catalog_entries (name_key);
CREATE INDEX catalog_entries_in_progress ON catalog_entries (updated_at, id)
	WHERE status IN ('draft', 'submitted', 'rejected') OR revision_state <> '';
CREATE INDEX catalog_entries_name ON catalog_entries (name, id);
CREATE INDEX catalog_entries_review_due ON catalog_entries (reviewed_at) WHERE status = 'published';

CREATE TRIGGER catalog_search_sync AFTER UPDATE OF status, department_id, domain, share_type, share_methods, update_frequency, security_level, open_attribute, subject_kind, updated_at ON catalog_entries
BEGIN
	UPDATE catalog_search_tokens SET attrs = ((CASE NEW.status WHEN 'draft' THEN 0 WHEN 'submitted' THEN 1 WHEN 'rejected' THEN 2 WHEN 'published' THEN 3 WHEN 'superseded' THEN 4 WHEN 'retired' THEN 5 ELSE 7 END) + 8 * (CASE NEW.share_type WHEN 'unconditional' THEN 0 WHEN 'conditional' THEN 1 WHEN 'none' THEN 2 ELSE 3 END) + 32 * (NEW.share_methods & 15) + 512 * (CASE NEW.update_frequency WHEN 'realtime' THEN 0 WHEN 'daily' THEN 1 WHEN 'weekly' THEN 2 WHEN 'monthly' THEN 3 WHEN 'quarterly' THEN 4 WHEN 'yearly' THEN 5 WHEN 'other' THEN 6 ELSE 15 END) + 8192 * (CASE WHEN NEW.security_level BETWEEN 1 AND 4 THEN NEW.security_level ELSE 7 END) + 65536 * (CASE NEW.open_attribute WHEN 'open' THEN 0 WHEN 'conditional' THEN 1 WHEN 'closed' THEN 2 ELSE 3 END) + 262144 * (CASE NEW.subject_kind WHEN 'person' THEN 0 WHEN 'legal_entity' THEN 1 WHEN 'none' THEN 2 ELSE 3 END) + 1048576 * (CASE NEW.domain WHEN '01' THEN 0 WHEN '02' THEN 1 WHEN '03' THEN 2 WHEN '04' THEN 3 WHEN '05' THEN 4 WHEN '06' THEN 5 WHEN '07' THEN 6 WHEN '08' THEN 7 WHEN '09' THEN 8 WHEN '10' THEN 9 WHEN '11' THEN 10 WHEN '12' THEN 11 WHEN '13' THEN 12 WHEN '14' THEN 13 WHEN '15' THEN 14 WHEN '16' THEN 15 WHEN '17' THEN 16 WHEN '18' THEN 17 WHEN '19' THEN 18 WHEN '20' THEN 19 WHEN '21' THEN 20 WHEN '22' THEN 21 WHEN '99' THEN 22 ELSE 63 END)),
		department_id = NEW.department_id, updated_at = NEW.updated_at
		WHERE entry_id = NEW.id;
END;

CREATE TRIGGER catalog_facets_insert AFTER INSERT ON catalog_entries
BEGIN
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
END;

CREATE TRIGGER catalog_facets_delete AFTER DELETE ON catalog_entries
BEGIN
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
END;

CREATE TRIGGER catalog_facets_update AFTER UPDATE OF status, department_id, domain, share_type, share_methods, update_frequency, security_level, open_attribute, subject_kind ON catalog_entries
BEGIN
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
END;
