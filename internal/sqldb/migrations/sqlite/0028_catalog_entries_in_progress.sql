-- The entries being compiled or reviewed: an entry not yet published
-- (draft, submitted, rejected) or a published one with a revision
-- (revision_state, 0027), few in a catalog of published entries. The
-- review queue and the drafts (catalog.filter, when every status asked
-- for is one of these) read them in the lists' order from this partial
-- index. 0027's (revision_state, updated_at, id) did not serve them: with
-- only the number of rows per value as statistics (sqlite_stat1), SQLite
-- takes each status, and each revision state, for a large share of the
-- catalog, and read all of it (100,000 entries: the queue's page took a
-- second, BenchmarkSearch/sqlite/review). SQLite uses this index when the
-- query states its predicate (inProgressSQL in search.go).
DROP INDEX catalog_entries_revision_updated;
CREATE INDEX catalog_entries_in_progress ON catalog_entries (updated_at, id)
	WHERE status IN ('draft', 'submitted', 'rejected') OR revision_state <> '';
