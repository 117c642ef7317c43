-- One data, one source (docs/catalog-sources.md).

-- The versions under review: when an entry is published or retired, the
-- one-data-one-source conflicts of every submitted version sharing one of its
-- data items are brought up to date (catalog.refreshPending), so that the
-- reviewer decides them before approving. The queue is short; the catalog is
-- not.
CREATE INDEX catalog_entry_versions_submitted ON catalog_entry_versions (entry_id) WHERE state = 'submitted';

-- An entry is the one source only of items its version in force has
-- (catalog.pruneSources, on publication): drop the rows left by versions
-- published before that rule, whose entry no longer has the item.
DELETE FROM catalog_authoritative_items WHERE NOT EXISTS (SELECT 1 FROM catalog_item_keys k
	WHERE k.subject_kind = catalog_authoritative_items.subject_kind AND k.item_key = catalog_authoritative_items.item_key
	AND k.entry_id = catalog_authoritative_items.entry_id);
