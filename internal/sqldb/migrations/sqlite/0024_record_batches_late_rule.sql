-- The rule a batch's late operations missed and why the entry follows it
-- (records.EntryRule.Why), as its answer said (late_rule): a replay under
-- its Idempotency-Key answers it again, even after the rule changed. The
-- batches stored before have none ('').
ALTER TABLE record_batches ADD COLUMN late_rule TEXT NOT NULL DEFAULT '';
