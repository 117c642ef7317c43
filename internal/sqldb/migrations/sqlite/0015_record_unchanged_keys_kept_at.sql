-- When each key of an unchanged change was kept, so that keys older than
-- the server's retention (-unchanged-key-days) are deleted, oldest first,
-- through the index (records.PruneUnchangedKeys). Keys kept before now
-- were kept when their batch was received; one without its batch gets the
-- time of this migration, and so a whole retention from now. SQLite adds
-- a NOT NULL column only with a default, which would hide a key written
-- without its time: the table is copied instead.
CREATE TABLE record_unchanged_keys_new (
	entry_id    BIGINT NOT NULL,
	subject_id  TEXT NOT NULL,
	op_key      TEXT NOT NULL,
	produced_at TIMESTAMP NOT NULL,
	vals        TEXT NOT NULL,
	batch_id    BIGINT NOT NULL,
	kept_at     TIMESTAMP NOT NULL,
	PRIMARY KEY (entry_id, subject_id, op_key)
) WITHOUT ROWID;
INSERT INTO record_unchanged_keys_new (entry_id, subject_id, op_key, produced_at, vals, batch_id, kept_at)
	SELECT k.entry_id, k.subject_id, k.op_key, k.produced_at, k.vals, k.batch_id,
		COALESCE(b.received_at, strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
	FROM record_unchanged_keys k LEFT JOIN record_batches b ON b.id = k.batch_id;
DROP TABLE record_unchanged_keys;
ALTER TABLE record_unchanged_keys_new RENAME TO record_unchanged_keys;
CREATE INDEX record_unchanged_keys_kept ON record_unchanged_keys (kept_at);
