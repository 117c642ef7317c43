-- The discrepancies not closed by their second entry, as the unique index
-- record_discrepancies_open finds them by their first: the quality of an
-- entry counts those against it on both sides, which on the second side
-- read every discrepancy not closed, for each entry.
CREATE INDEX record_discrepancies_open_b ON record_discrepancies (entry_b, subject_id)
	WHERE status IN ('open', 'awaiting_correction');
