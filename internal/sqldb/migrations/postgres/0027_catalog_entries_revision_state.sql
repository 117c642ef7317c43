-- The state of the revision of a published entry (its working version:
-- draft, submitted or rejected), '' when it has none. Catalog search finds
-- a published entry by it as well as by its status, so that a revision
-- submitted for review is in the review queue and one being compiled or
-- sent back in its department's drafts (catalog.filter). Kept by the
-- catalog's lifecycle (Update, setState), cleared when a version is
-- published or the entry retired. Filled here from the working versions.
ALTER TABLE catalog_entries ADD COLUMN revision_state TEXT NOT NULL DEFAULT ''
	CHECK (revision_state IN ('', 'draft', 'submitted', 'rejected'));
UPDATE catalog_entries SET revision_state = (SELECT v.state FROM catalog_entry_versions v
	WHERE v.entry_id = catalog_entries.id AND v.version = catalog_entries.working_version)
WHERE status = 'published' AND published_version <> 0 AND working_version <> 0 AND EXISTS (SELECT 1
	FROM catalog_entry_versions v WHERE v.entry_id = catalog_entries.id AND v.version = catalog_entries.working_version
	AND v.state IN ('draft', 'submitted', 'rejected'));
CREATE INDEX catalog_entries_revision_updated ON catalog_entries (revision_state, updated_at, id);
