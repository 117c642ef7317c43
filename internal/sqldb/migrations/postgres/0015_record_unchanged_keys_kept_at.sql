-- When each key of an unchanged change was kept, so that keys older than
-- the server's retention (-unchanged-key-days) are deleted, oldest first,
-- through the index (records.PruneUnchangedKeys). Keys kept before now
-- were kept when their batch was received; one without its batch gets the
-- time of this migration, and so a whole retention from now.
ALTER TABLE record_unchanged_keys ADD COLUMN kept_at TIMESTAMPTZ;
UPDATE record_unchanged_keys k SET kept_at = COALESCE(
	(SELECT b.received_at FROM record_batches b WHERE b.id = k.batch_id), now());
ALTER TABLE record_unchanged_keys ALTER COLUMN kept_at SET NOT NULL;
CREATE INDEX record_unchanged_keys_kept ON record_unchanged_keys (kept_at);
