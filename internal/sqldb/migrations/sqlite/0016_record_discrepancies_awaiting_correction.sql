-- A resolved discrepancy awaits the correction of the value decided wrong
-- (awaiting_correction) until the cross-check finds the values agree, and
-- then is resolved; at most one discrepancy of a fact is open or awaiting.
-- SQLite cannot change a CHECK constraint: the table is rebuilt.
CREATE TABLE record_discrepancies_new (
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
	status        TEXT NOT NULL CHECK (status IN ('open', 'awaiting_correction', 'resolved')),
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
INSERT INTO record_discrepancies_new SELECT * FROM record_discrepancies;
DROP TABLE record_discrepancies;
ALTER TABLE record_discrepancies_new RENAME TO record_discrepancies;
CREATE INDEX record_discrepancies_subject ON record_discrepancies (subject_id, status);
CREATE INDEX record_discrepancies_dept_a ON record_discrepancies (department_a, status);
CREATE INDEX record_discrepancies_dept_b ON record_discrepancies (department_b, status);
-- A fact's latest discrepancy, resolved in favour of a source, was kept as
-- decided for its values: it now awaits the correction, which the next
-- cross-check of the subject finds if made meanwhile.
UPDATE record_discrepancies SET status = 'awaiting_correction'
WHERE status = 'resolved' AND authoritative_entry_id IS NOT NULL AND id = (SELECT max(x.id) FROM record_discrepancies x
	WHERE x.entry_a = record_discrepancies.entry_a AND x.entry_b = record_discrepancies.entry_b
	AND x.item_key = record_discrepancies.item_key AND x.subject_id = record_discrepancies.subject_id);
CREATE UNIQUE INDEX record_discrepancies_open ON record_discrepancies (entry_a, entry_b, item_key, subject_id)
	WHERE status IN ('open', 'awaiting_correction');
