-- The review steps of catalog entries, by entry (catalog.Reviews: an
-- entry's review history on its page). Partial on the three actions, which
-- the query repeats word for word: the audited reads of records name their
-- entry as object too (records.ReadEvent), and are most of the log; an
-- index of every row about an entry would grow with each read and be
-- walked at each load of a much-read entry's page, where the history read
-- every submission, rejection and approval of the catalog
-- (audit_log_action), or on SQLite scanned the whole log.
CREATE INDEX audit_log_catalog_entry ON audit_log (object_id, seq)
	WHERE object_type = 'catalog_entry' AND action IN ('catalog.submit', 'catalog.reject', 'catalog.approve');
