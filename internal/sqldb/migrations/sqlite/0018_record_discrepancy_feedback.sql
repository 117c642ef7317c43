-- Every feedback a department gave on a discrepancy (核查反馈), in order:
-- feedback_a and feedback_b of record_discrepancies hold only each side's
-- latest, which the next one used to overwrite. The feedback given before
-- is kept here too.
CREATE TABLE record_discrepancy_feedback (
	id             INTEGER PRIMARY KEY,
	discrepancy_id BIGINT NOT NULL,
	department_id  BIGINT NOT NULL,
	feedback       TEXT NOT NULL,
	given_at       TIMESTAMP NOT NULL
);
CREATE INDEX record_discrepancy_feedback_discrepancy ON record_discrepancy_feedback (discrepancy_id, id);
INSERT INTO record_discrepancy_feedback (discrepancy_id, department_id, feedback, given_at)
	SELECT id, department, feedback, at FROM (
		SELECT id, department_a AS department, feedback_a AS feedback, feedback_a_at AS at FROM record_discrepancies
			WHERE feedback_a_at IS NOT NULL
		UNION ALL SELECT id, department_b, feedback_b, feedback_b_at FROM record_discrepancies
			WHERE feedback_b_at IS NOT NULL)
	ORDER BY julianday(at), id;
