-- A reviewer may decide that a conflict's items, alike in name (登记日期
-- of a marriage and of a job registration), are not the same data item
-- (不是同一数据项). The decision is the conflict's is_distinct; on approval
-- it separates the submitted entry from each candidate for that item key:
-- a row of catalog_distinct_items per pair, the lower entry id first.
-- Separated entries are not each other's one source, conflict no more over
-- the item, and the cross-check does not compare their values of it.
-- Existing conflicts and entries keep their decisions: no pair is
-- separated until a reviewer decides so.
ALTER TABLE catalog_source_conflicts ADD COLUMN is_distinct BOOLEAN NOT NULL DEFAULT FALSE;
-- The candidates the reviewer decided the item distinct from, a JSON array
-- of entry ids: the decision holds while the item has no other candidate,
-- and none of them is taken as the conflict's decision when the conflict
-- opens again.
ALTER TABLE catalog_source_conflicts ADD COLUMN distinct_from TEXT NOT NULL DEFAULT '[]';

CREATE TABLE catalog_distinct_items (
	subject_kind TEXT NOT NULL,
	item_key     TEXT NOT NULL,
	entry_a      BIGINT NOT NULL REFERENCES catalog_entries (id),
	entry_b      BIGINT NOT NULL REFERENCES catalog_entries (id),
	decided_by   TEXT NOT NULL,
	decided_at   TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (subject_kind, item_key, entry_a, entry_b),
	CHECK (entry_a < entry_b)
);
CREATE INDEX catalog_distinct_items_entry_b ON catalog_distinct_items (entry_b);
