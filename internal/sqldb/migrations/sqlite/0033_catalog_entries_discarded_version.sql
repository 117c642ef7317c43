-- The number of an entry's last discarded revision (catalog.DiscardRevision),
-- 0 when none. The discarded version's row is deleted, and the next revision
-- takes the number after this one rather than the same again, so that a
-- version number in the audit log (catalog.update, catalog.revision.discard,
-- the review steps) names one content only.
ALTER TABLE catalog_entries ADD COLUMN discarded_version INTEGER NOT NULL DEFAULT 0;
