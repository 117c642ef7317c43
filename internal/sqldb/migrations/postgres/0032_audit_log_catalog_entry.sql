-- The audit rows about catalog entries, by entry (catalog.Reviews: an
-- entry's review history on its page): partial, so that the audited reads,
-- most of the log, add nothing to it, where the history read every
-- submission, rejection and approval of the catalog (audit_log_action).
CREATE INDEX audit_log_catalog_entry ON audit_log (object_id, seq) WHERE object_type = 'catalog_entry';
