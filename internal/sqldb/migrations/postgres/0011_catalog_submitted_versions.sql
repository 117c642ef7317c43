-- The versions under review: when an entry is published or retired, the
-- one-data-one-source conflicts of every submitted version sharing one of its
-- data items are brought up to date (catalog.refreshPending), so that the
-- reviewer decides them before approving. The queue is short; the catalog is
-- not.
CREATE INDEX catalog_entry_versions_submitted ON catalog_entry_versions (entry_id) WHERE state = 'submitted';
