-- A department's request to retire one of its published entries
-- (catalog.RequestRetire), which the operator's reviewers approve (the entry
-- is retired) or reject (it stays published, reject_reason says why): a
-- change to the catalog is published after the operator's review
-- (requirement 4). One row per entry, its last request: 'requested' while
-- under review, 'rejected' once sent back; an approved or withdrawn request
-- leaves no row (the audit log keeps every step).
CREATE TABLE catalog_retire_requests (
	entry_id      BIGINT PRIMARY KEY REFERENCES catalog_entries (id),
	state         TEXT NOT NULL CHECK (state IN ('requested', 'rejected')),
	reason        TEXT NOT NULL,
	requested_by  TEXT NOT NULL,
	requested_at  TIMESTAMPTZ NOT NULL,
	reject_reason TEXT NOT NULL DEFAULT '',
	reviewed_by   TEXT NOT NULL DEFAULT '',
	reviewed_at   TIMESTAMPTZ
);
CREATE INDEX catalog_retire_requests_state ON catalog_retire_requests (state, requested_at);
