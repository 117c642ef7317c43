-- The audit log's filter by actor kind (the console's 操作者类型, GET
-- /api/v1/audit?actor_kind=, hutong audit list -actor-kind; audit.List),
-- newest rows first: without an index of its own it walked the whole log
-- newest first for a kind few rows have (system: 1.5 s on 1,000,000 rows
-- on both engines). audit.List writes the kind into the query as a
-- literal, which PostgreSQL's generic plan of a prepared statement needs
-- to read this index (its estimate of a parameter is any kind's). Written
-- by every audited action, as 0035's (docs/performance.md).
-- The build holds every audited action while it reads the whole log; IF
-- NOT EXISTS lets an operator of a large log build it beforehand (on
-- PostgreSQL with CREATE INDEX CONCURRENTLY under this name,
-- docs/postgresql.md).
CREATE INDEX IF NOT EXISTS audit_log_actor_kind ON audit_log (actor_kind, seq);

-- A department's discrepancies by id (records.Discrepancies with a
-- department, GET /api/v1/records/discrepancies as a department): the
-- rows of each side, read in id order through these, one page of each,
-- merged. The indexes by department and status read them in status
-- order: with (department_a = ? OR department_b = ?) SQLite walked every
-- discrepancy by id and checked both sides, or read all of the
-- department's and sorted them.
CREATE INDEX record_discrepancies_dept_a_id ON record_discrepancies (department_a, id);
CREATE INDEX record_discrepancies_dept_b_id ON record_discrepancies (department_b, id);
