-- The operator's retirement of a catalog entry (catalog.retire) is a step
-- of its history (catalog.Reviews) since 2026-12-05: the partial index of
-- 0032 takes it beside the three review actions, which the query repeats
-- word for word (SQLite uses a partial index only when the query's WHERE
-- implies the index's).
DROP INDEX audit_log_catalog_entry;
CREATE INDEX audit_log_catalog_entry ON audit_log (object_id, seq)
	WHERE object_type = 'catalog_entry' AND action IN ('catalog.submit', 'catalog.reject', 'catalog.approve', 'catalog.retire');
