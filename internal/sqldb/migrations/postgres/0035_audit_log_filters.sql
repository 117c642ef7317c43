-- The filters of the audit log's pages (the console's /audit, GET
-- /api/v1/audit, hutong audit list; audit.List), which read the newest rows
-- first (ORDER BY seq DESC) and before these walked the whole log in seq
-- order for a filter by actor, department, outcome or time that matched few
-- rows or none. Each index is written by every audited read, so there is
-- one per filter and no more (measured in docs/performance.md):
--   by actor: actor_name (the filter of the console, the CLI and the API's
--   actor: a username or an app's name, as the row names it), with seq for
--   the newest first. Not actor_id, which only the API offers: an index of
--   it would be written as often as this one and hold the same rows
--   (docs/performance.md, audit log filters);
--   by department: only the rows that name one (department_id = $1 implies
--   it);
--   by outcome: only the rows that are not ok, a few of the log; audit.List
--   repeats the index's condition word for word when it asks for denied or
--   failed rows alone;
--   by time: at, which is not in seq order (a row's time is its caller's
--   clock, read before the row waits for its turn in the chain).
CREATE INDEX IF NOT EXISTS audit_log_actor_name ON audit_log (actor_name, seq);
CREATE INDEX IF NOT EXISTS audit_log_department ON audit_log (department_id, seq) WHERE department_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_log_not_ok ON audit_log (seq) WHERE outcome <> 'ok';
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);
-- Each CREATE INDEX holds a SHARE lock on audit_log while it reads the whole
-- log, so every audited read waits (and fails with audit_unavailable once
-- its round's deadline passes) until the migration commits. IF NOT EXISTS
-- lets an operator of a large log build them beforehand with CREATE INDEX
-- CONCURRENTLY under these names, which takes no such lock
-- (docs/postgresql.md).
