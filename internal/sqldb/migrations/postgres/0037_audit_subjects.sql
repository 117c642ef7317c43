-- The other subjects of an audited read (audit.Event.Subjects): a read
-- serves, beside the subject its row names (subject_id), the identifiers of
-- other persons and legal entities in the values it shows (a marriage
-- record's 男方公民身份号码 where the record is keyed by the wife's ID, a
-- 不动产登记信息's 权利人证件号码), and a batch's warnings name several
-- subjects. Each is a row here, written in the transaction of its audit
-- row, and named in that row's detail (other_subjects), which the hash
-- chain covers; the audit log's filter by subject (audit.List) selects a
-- row naming the subject as subject_id or here, so that a person finds
-- every read of data about them. The primary key, by subject then seq,
-- serves that filter.
CREATE TABLE audit_subjects (
	subject_id TEXT NOT NULL,
	seq        BIGINT NOT NULL,
	PRIMARY KEY (subject_id, seq)
);
