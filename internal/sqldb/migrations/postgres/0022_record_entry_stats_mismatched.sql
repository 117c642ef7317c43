-- Lines of applied batches accepted with values that contradict their
-- subject's citizen ID (warning subject_id_mismatch: a birth date or a sex
-- other than the ID states), counted per entry: the validity score counts
-- them as invalid, with the lines refused.
ALTER TABLE record_entry_stats ADD COLUMN mismatched_lines BIGINT NOT NULL DEFAULT 0;
