-- Identifiers compare byte by byte: subject identifiers and op keys are
-- codes, not words, so the database's collation (C.UTF-8, en_US.UTF-8 …,
-- which PostgreSQL compares through strcoll) buys nothing and costs every
-- index probe and insert of a record batch (measured: +5-9 % operations/s
-- in BenchmarkIngest). SQLite compares bytes already (0007 is empty there).
ALTER TABLE record_versions
	ALTER COLUMN subject_id TYPE TEXT COLLATE "C",
	ALTER COLUMN op_key TYPE TEXT COLLATE "C";
ALTER TABLE records ALTER COLUMN subject_id TYPE TEXT COLLATE "C";
