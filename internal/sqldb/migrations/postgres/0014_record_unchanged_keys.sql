-- The op keys of changes acknowledged as unchanged (every value given was
-- the one the record held): such a change writes no version, yet its key
-- is the record's as an applied operation's is, so that another operation
-- sent under it is refused and the change resent later is a duplicate, not
-- applied over the record's later changes. vals: the change's own values
-- (without cleared items), as JSON; batch_id: the batch that acknowledged
-- it. A key is in at most one of this table and record_versions.
-- Identifiers compare byte by byte, as in record_versions (0007).
CREATE TABLE record_unchanged_keys (
	entry_id    BIGINT NOT NULL,
	subject_id  TEXT COLLATE "C" NOT NULL,
	op_key      TEXT COLLATE "C" NOT NULL,
	produced_at TIMESTAMPTZ NOT NULL,
	vals        TEXT NOT NULL,
	batch_id    BIGINT NOT NULL,
	PRIMARY KEY (entry_id, subject_id, op_key)
);
