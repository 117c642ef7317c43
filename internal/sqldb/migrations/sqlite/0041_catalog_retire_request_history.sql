-- Every retirement request of an entry is kept, with its outcome: a new
-- request no longer replaces the row of one sent back, and one approved
-- (the entry retired, by the request's approval or by the operator's own
-- retirement) or withdrawn stays, 'approved' or 'withdrawn'. reviewed_by
-- and reviewed_at say who closed it and when: the reviewer who approved or
-- rejected it, the department's account that withdrew it. At most one
-- request of an entry is under review (catalog_retire_requests_open).
-- Requests approved or withdrawn before this migration left no row; the
-- audit log keeps them. SQLite cannot change a primary key or a CHECK
-- constraint: the table is rebuilt.
CREATE TABLE catalog_retire_requests_new (
	id            INTEGER PRIMARY KEY,
	entry_id      BIGINT NOT NULL REFERENCES catalog_entries (id),
	state         TEXT NOT NULL CHECK (state IN ('requested', 'rejected', 'approved', 'withdrawn')),
	reason        TEXT NOT NULL,
	requested_by  TEXT NOT NULL,
	requested_at  TIMESTAMP NOT NULL,
	reject_reason TEXT NOT NULL DEFAULT '',
	reviewed_by   TEXT NOT NULL DEFAULT '',
	reviewed_at   TIMESTAMP
);
INSERT INTO catalog_retire_requests_new (entry_id, state, reason, requested_by, requested_at, reject_reason, reviewed_by, reviewed_at)
	SELECT entry_id, state, reason, requested_by, requested_at, reject_reason, reviewed_by, reviewed_at
	FROM catalog_retire_requests ORDER BY requested_at, entry_id;
DROP TABLE catalog_retire_requests;
ALTER TABLE catalog_retire_requests_new RENAME TO catalog_retire_requests;
CREATE INDEX catalog_retire_requests_state ON catalog_retire_requests (state, requested_at);
CREATE INDEX catalog_retire_requests_entry ON catalog_retire_requests (entry_id, id);
CREATE UNIQUE INDEX catalog_retire_requests_open ON catalog_retire_requests (entry_id) WHERE state = 'requested';
