-- A department's feedback on a discrepancy (核查反馈) either accepts the
-- other source's value (it then pushes its correction) or disputes it (有异议，
-- 提请平台主管部门协调): only a dispute sends an open discrepancy to the
-- platform operator, who alone then resolves it (records.Discrepancy.Contested,
-- REQUIREMENTS 22). disputed_a and disputed_b are whether each side's latest
-- feedback disputes; record_discrepancy_feedback.disputed, whether each
-- feedback did.
--
-- Feedback given before this migration was free text without that choice;
-- from 841915d until now any feedback of the side that is not the catalog's
-- authoritative source counted as a dispute, which turned agreeing replies
-- ("经核实，本局登记有误") into disputes. Nothing was deployed with that rule,
-- so every earlier feedback is read as not disputing (the default): the
-- authoritative source's department may resolve those discrepancies again,
-- and a department that disputes says so with its next feedback.
ALTER TABLE record_discrepancies ADD COLUMN disputed_a BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE record_discrepancies ADD COLUMN disputed_b BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE record_discrepancy_feedback ADD COLUMN disputed BOOLEAN NOT NULL DEFAULT FALSE;
