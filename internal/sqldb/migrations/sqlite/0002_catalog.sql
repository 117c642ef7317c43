-- Catalog (政务数据资源目录): entries and their versions, the resource code
-- sequences, the search token index, configurable security levels, and the
-- one-data-one-source conflicts and decisions.

-- One row per entry, holding the version in force (or, before the first
-- approval, the version being compiled) in data and, denormalised, in the
-- columns that search filters, sorts and counts on.
CREATE TABLE catalog_entries (
	id                INTEGER PRIMARY KEY,
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
	published_at      TIMESTAMP
);
CREATE INDEX catalog_entries_status_updated ON catalog_entries (status, updated_at, id);
CREATE INDEX catalog_entries_status_name ON catalog_entries (status, name, id);
CREATE INDEX catalog_entries_department ON catalog_entries (department_id, status);

CREATE TABLE catalog_entry_versions (
	entry_id      BIGINT NOT NULL REFERENCES catalog_entries (id),
	version       INTEGER NOT NULL,
	state         TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'rejected', 'published', 'superseded', 'retired')),
	data          TEXT NOT NULL,                  -- JSON snapshot of the Resource
	reject_reason TEXT NOT NULL DEFAULT '',
	created_at    TIMESTAMP NOT NULL,
	created_by    TEXT NOT NULL,
	updated_at    TIMESTAMP NOT NULL,
	submitted_at  TIMESTAMP,
	reviewed_at   TIMESTAMP,
	reviewed_by   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (entry_id, version)
);

-- Last sequence number used per classification code.
CREATE TABLE catalog_code_sequences (
	class_code TEXT PRIMARY KEY,
	last       BIGINT NOT NULL
);

-- Search index: Han unigrams and bigrams and ASCII words of an entry's name,
-- abstract and item names; fields is a bit set (1 name, 2 abstract, 4 items).
CREATE TABLE catalog_search_tokens (
	token    TEXT NOT NULL,
	entry_id BIGINT NOT NULL,
	fields   INTEGER NOT NULL,
	PRIMARY KEY (token, entry_id)
) WITHOUT ROWID;
CREATE INDEX catalog_search_tokens_entry ON catalog_search_tokens (entry_id);

-- Data item names of each entry in comparable form (itemKey), for finding
-- overlapping items across departments. Items identifying the subject are
-- keys, not facts, and are left out.
CREATE TABLE catalog_item_keys (
	subject_kind TEXT NOT NULL,
	item_key     TEXT NOT NULL,
	entry_id     BIGINT NOT NULL,
	item_name    TEXT NOT NULL,
	PRIMARY KEY (subject_kind, item_key, entry_id)
);
CREATE INDEX catalog_item_keys_entry ON catalog_item_keys (entry_id);

CREATE TABLE catalog_security_levels (
	level       INTEGER PRIMARY KEY CHECK (level BETWEEN 1 AND 4),
	name        TEXT NOT NULL,
	description TEXT NOT NULL,
	updated_at  TIMESTAMP NOT NULL
);
INSERT INTO catalog_security_levels (level, name, description, updated_at) VALUES
	(1, '1级', '数据泄露后无危害，可向社会公众公开。', CURRENT_TIMESTAMP),
	(2, '2级', '数据泄露后无危害，仅对特定公众和群体有益，且可能对其他公众和群体产生不利影响。', CURRENT_TIMESTAMP),
	(3, '3级', '数据泄露后会对个人合法权益、法人正常运作或国家机关正常运作造成一般损害。', CURRENT_TIMESTAMP),
	(4, '4级', '数据泄漏后会对个人人身安全、法人正常运作或国家机关正常运作导致非常严重损害。', CURRENT_TIMESTAMP);

-- Overlapping data items found when an entry version is submitted; the
-- reviewer names the authoritative entry before approving.
CREATE TABLE catalog_source_conflicts (
	id                     INTEGER PRIMARY KEY,
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

-- The one source of each data item per subject kind.
CREATE TABLE catalog_authoritative_items (
	subject_kind TEXT NOT NULL,
	item_key     TEXT NOT NULL,
	entry_id     BIGINT NOT NULL REFERENCES catalog_entries (id),
	item_name    TEXT NOT NULL,
	decided_at   TIMESTAMP NOT NULL,
	PRIMARY KEY (subject_kind, item_key)
);
CREATE INDEX catalog_authoritative_items_entry ON catalog_authoritative_items (entry_id);
