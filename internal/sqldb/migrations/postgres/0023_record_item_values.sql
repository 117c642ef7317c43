-- Completeness counts the values of the items of an entry's published
-- version alone, as reads serve them (records.Entry.served). Values are
-- counted per item name over the live records' current values, whichever
-- version they were pushed under, so that publishing a version that
-- removes an item, or brings one back, changes the figure at once: the
-- quality reads sum the counts of the published version's items.
-- record_entry_stats.filled_values and item_count hold that sum and that
-- number of items for the version fill_version, written by each batch; an
-- entry published in another version since is summed again on reading.
-- Until now filled_values counted per record under the version of each
-- push, so an item removed stayed counted: 0 makes every entry read anew.
CREATE TABLE record_item_values (
	entry_id  BIGINT NOT NULL,
	item_name TEXT COLLATE "C" NOT NULL,
	filled    BIGINT NOT NULL, -- live records with a value of the item
	PRIMARY KEY (entry_id, item_name)
);
ALTER TABLE record_entry_stats ADD COLUMN fill_version INTEGER NOT NULL DEFAULT 0;
INSERT INTO record_item_values (entry_id, item_name, filled)
SELECT v.entry_id, j.key, count(*) FROM record_versions v
	JOIN (SELECT entry_id, max(seq) AS seq FROM record_versions GROUP BY entry_id, subject_id) h
	ON h.entry_id = v.entry_id AND h.seq = v.seq CROSS JOIN LATERAL jsonb_each_text(v.vals::jsonb) j
WHERE v.op <> 'cancel' AND j.value <> ''
GROUP BY v.entry_id, j.key;
