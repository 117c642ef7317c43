-- A resolved discrepancy awaits the correction of the value decided wrong
-- (awaiting_correction) until the cross-check finds the values agree, and
-- then is resolved; at most one discrepancy of a fact is open or awaiting.
ALTER TABLE record_discrepancies DROP CONSTRAINT record_discrepancies_status_check;
ALTER TABLE record_discrepancies ADD CONSTRAINT record_discrepancies_status_check
	CHECK (status IN ('open', 'awaiting_correction', 'resolved'));
DROP INDEX record_discrepancies_open;
-- A fact's latest discrepancy, resolved in favour of a source, was kept as
-- decided for its values: it now awaits the correction, which the next
-- cross-check of the subject finds if made meanwhile.
UPDATE record_discrepancies SET status = 'awaiting_correction'
WHERE status = 'resolved' AND authoritative_entry_id IS NOT NULL AND id = (SELECT max(x.id) FROM record_discrepancies x
	WHERE x.entry_a = record_discrepancies.entry_a AND x.entry_b = record_discrepancies.entry_b
	AND x.item_key = record_discrepancies.item_key AND x.subject_id = record_discrepancies.subject_id);
CREATE UNIQUE INDEX record_discrepancies_open ON record_discrepancies (entry_a, entry_b, item_key, subject_id)
	WHERE status IN ('open', 'awaiting_correction');
