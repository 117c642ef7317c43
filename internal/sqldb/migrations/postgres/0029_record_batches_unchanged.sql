-- A batch's changes to the values their records already held
-- (records.BatchResult.Unchanged), stored apart from its duplicates, which
-- counted them before: the batches stored before have 0, their
-- duplicates counting them.
ALTER TABLE record_batches ADD COLUMN unchanged INTEGER NOT NULL DEFAULT 0;
