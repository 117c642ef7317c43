-- Records (数据归集): the current state of every record pushed per catalog
-- entry, its full history (which is also the change feed), the batches that
-- brought them, per-entry counters for timeliness and quality, timeliness
-- rules, cross-check discrepancies (多源校核) and the item keys compared.

-- Per-entry counters, maintained in the ingest transaction. Updating this
-- row first serialises writers of one entry, so that seq (the change feed
-- cursor) commits in order.
CREATE TABLE record_entry_stats (
	entry_id         BIGINT PRIMARY KEY,
	department_id    BIGINT NOT NULL,
	catalog_version  INTEGER NOT NULL DEFAULT 0, -- version whose item keys are in record_item_keys
	last_seq         BIGINT NOT NULL DEFAULT 0,
	ops              BIGINT NOT NULL DEFAULT 0,  -- applied operations
	late_ops         BIGINT NOT NULL DEFAULT 0,  -- applied after the timeliness deadline
	rejected_lines   BIGINT NOT NULL DEFAULT 0,  -- lines refused by validation
	checked_lines    BIGINT NOT NULL DEFAULT 0,  -- lines validated (accepted or refused)
	live_records     BIGINT NOT NULL DEFAULT 0,  -- records not cancelled
	filled_values    BIGINT NOT NULL DEFAULT 0,  -- non-empty item values over live records
	item_count       INTEGER NOT NULL DEFAULT 0, -- data items of the entry (completeness denominator)
	last_received_at TIMESTAMP,
	last_produced_at TIMESTAMP
);
CREATE INDEX record_entry_stats_department ON record_entry_stats (department_id);

-- Timeliness rule per entry when it differs from the default derived from
-- the catalog: realtime, within2 or quarterly (an approved exception).
CREATE TABLE record_entry_rules (
	entry_id    BIGINT PRIMARY KEY,
	rule        TEXT NOT NULL CHECK (rule IN ('realtime', 'within2', 'quarterly')),
	note        TEXT NOT NULL DEFAULT '',
	approved_by TEXT NOT NULL,
	approved_at TIMESTAMP NOT NULL
);

CREATE TABLE record_batches (
	id            INTEGER PRIMARY KEY,
	entry_id      BIGINT NOT NULL,
	department_id BIGINT NOT NULL,
	batch_key     TEXT,                        -- Idempotency-Key of the batch
	actor         TEXT NOT NULL,
	ops           BIGINT NOT NULL DEFAULT 0,   -- applied
	duplicates    BIGINT NOT NULL DEFAULT 0,   -- operations whose key was applied before
	late          BIGINT NOT NULL DEFAULT 0,
	first_seq     BIGINT NOT NULL DEFAULT 0,
	last_seq      BIGINT NOT NULL DEFAULT 0,
	received_at   TIMESTAMP NOT NULL,
	UNIQUE (department_id, batch_key)
);

-- Current state: one row per (entry, subject), pointing at its latest
-- version; the values live only in record_versions.
CREATE TABLE records (
	entry_id    BIGINT NOT NULL,
	subject_id  TEXT NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
	version     INTEGER NOT NULL,
	seq         BIGINT NOT NULL,               -- record_versions (entry_id, seq) of the latest version
	PRIMARY KEY (entry_id, subject_id)
) WITHOUT ROWID;

-- History and change feed: every applied operation, never updated. A
-- record's history is the chain records.seq → prev_seq → … (no index needed).
CREATE TABLE record_versions (
	entry_id      BIGINT NOT NULL,
	seq           BIGINT NOT NULL,             -- per entry, the change feed cursor
	subject_id    TEXT NOT NULL,
	version       INTEGER NOT NULL,
	op            TEXT NOT NULL CHECK (op IN ('add', 'change', 'cancel')),
	vals          TEXT NOT NULL,               -- full values after the operation
	produced_at   TIMESTAMP NOT NULL,
	received_at   TIMESTAMP NOT NULL,
	batch_id      BIGINT NOT NULL,
	department_id BIGINT NOT NULL,
	op_key        TEXT NOT NULL,               -- idempotency key, unique per provider
	late          BOOLEAN NOT NULL,
	prev_seq      BIGINT NOT NULL,             -- the subject's previous version, 0 for the first
	PRIMARY KEY (entry_id, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX record_versions_op_key ON record_versions (department_id, op_key);

-- Normalised data item names per entry that has records, for the cross-check.
CREATE TABLE record_item_keys (
	entry_id     BIGINT NOT NULL,
	subject_kind TEXT NOT NULL,
	item_key     TEXT NOT NULL,
	item_name    TEXT NOT NULL,
	PRIMARY KEY (entry_id, item_key)
);
CREATE INDEX record_item_keys_key ON record_item_keys (subject_kind, item_key);

-- Differences between two entries about the same fact of the same subject.
-- entry_a < entry_b. Feedback is due within 5 working days (seed 001 八(六)).
CREATE TABLE record_discrepancies (
	id            INTEGER PRIMARY KEY,
	subject_kind  TEXT NOT NULL,
	item_key      TEXT NOT NULL,
	subject_id    TEXT NOT NULL,
	entry_a       BIGINT NOT NULL,
	entry_b       BIGINT NOT NULL,
	department_a  BIGINT NOT NULL,
	department_b  BIGINT NOT NULL,
	item_a        TEXT NOT NULL,
	item_b        TEXT NOT NULL,
	value_a       TEXT NOT NULL,
	value_b       TEXT NOT NULL,
	status        TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
	found_by      TEXT NOT NULL,               -- arrival or sweep
	found_at      TIMESTAMP NOT NULL,
	due_at        TIMESTAMP NOT NULL,
	feedback_a    TEXT NOT NULL DEFAULT '',
	feedback_a_at TIMESTAMP,
	feedback_b    TEXT NOT NULL DEFAULT '',
	feedback_b_at TIMESTAMP,
	authoritative_entry_id BIGINT,
	resolution    TEXT NOT NULL DEFAULT '',
	resolved_by   TEXT NOT NULL DEFAULT '',
	resolved_at   TIMESTAMP
);
CREATE UNIQUE INDEX record_discrepancies_open ON record_discrepancies (entry_a, entry_b, item_key, subject_id) WHERE status = 'open';
CREATE INDEX record_discrepancies_subject ON record_discrepancies (subject_id, status);
CREATE INDEX record_discrepancies_dept_a ON record_discrepancies (department_a, status);
CREATE INDEX record_discrepancies_dept_b ON record_discrepancies (department_b, status);
