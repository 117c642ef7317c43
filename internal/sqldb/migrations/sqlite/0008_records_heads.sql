-- A record's current state is its latest version: the version of its
-- (entry, subject) with the highest seq. One index serves both finding it
-- and idempotency, with op keys unique per record (a retried operation
-- names the same entry, subject and key). record_versions has no rowid, so
-- the index carries seq, its primary key's other column.
DROP TABLE records;
DROP INDEX record_versions_op_key;
CREATE UNIQUE INDEX record_versions_subject ON record_versions (entry_id, subject_id, op_key);
