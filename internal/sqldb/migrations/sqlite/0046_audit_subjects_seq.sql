-- A verify from an anchor (audit.VerifyFrom: hutong audit verify -from,
-- ?from=, the console's 起点) reads the rows of audit_subjects after the
-- anchor's seq, with the rows of the log after it. The primary key, by
-- subject then seq, does not serve seq alone: each such verify read the
-- whole table, which grows with the log forever, where it should read the
-- day's rows. Rows are appended in seq order, so each append writes the
-- index's last page (BenchmarkAppendRound, docs/performance.md).
CREATE INDEX audit_subjects_seq ON audit_subjects (seq);
