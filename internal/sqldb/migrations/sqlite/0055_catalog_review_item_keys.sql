-- The item keys (catalog.ItemKey, as in catalog_item_keys) of the versions
-- under review, written by catalog.Submit: an entry's publication or
-- retirement brings up to date the one-data-one-source conflicts of the
-- submitted versions holding one of its item keys (catalog.refreshPending),
-- which it finds here rather than by reading every version under review of
-- the platform. A row of a version no longer submitted is dropped when it
-- leaves review, and is ignored until then (the version's state decides).
-- SQL cannot compute the keys (no NFKC on SQLite): the refresh of every
-- submitted version that the first catalog.lockSources after this
-- migration runs (refresh_pending) writes those of the versions already
-- under review.
CREATE TABLE catalog_review_item_keys (
	subject_kind TEXT NOT NULL,
	item_key     TEXT NOT NULL,
	entry_id     BIGINT NOT NULL,
	version      INTEGER NOT NULL,
	item_name    TEXT NOT NULL,
	PRIMARY KEY (subject_kind, item_key, entry_id, version)
);
CREATE INDEX catalog_review_item_keys_entry ON catalog_review_item_keys (entry_id);
UPDATE catalog_source_lock SET refresh_pending = TRUE WHERE id = 1;
