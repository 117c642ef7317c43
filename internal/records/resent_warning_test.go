package records_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestResentWarnedOperationCountedOnce: an operation applied with a
// warning of subject_id_mismatch counts once in the entry's validity
// score (checked_lines, mismatched_lines), however often it is resent:
// pushed on its own under its key, in a batch under the batch's key (a
// replay) or in a batch without one (its lines duplicates).
func TestResentWarnedOperationCountedOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		entry := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000009", Name: "户籍人口基本信息", SubjectKind: "person",
			Items: []records.Item{personItems[0], {Name: "性别", Type: "C", Length: 4}, {Name: "姓名", Type: "C", Length: 10}}})
		want := func(what string, checked, mismatched int64) {
			t.Helper()
			if q := f.quality(entry); q.CheckedLines != checked || q.MismatchedLines != mismatched {
				t.Errorf("%s: checked %d, mismatched %d; want %d, %d", what, q.CheckedLines, q.MismatchedLines, checked, mismatched)
			}
		}
		// CitizenID(0) is a woman's.
		pushes := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		op := records.Op{Op: "add", SubjectID: recordstest.CitizenID(0), ProducedAt: monday, Values: map[string]string{"性别": "男"},
			Key: "op-1"}
		for i := range 3 {
			res, err := pushes.Push(f.pusher, entry, op)
			if err != nil || res.WarningCount != 1 || res.Duplicates != min(i, 1) {
				t.Fatalf("push %d: %+v, %v", i, res, err)
			}
			want("operation pushed", 1, 1)
		}

		batch := line("add", recordstest.CitizenID(1), monday, map[string]string{"性别": "男"}, "b-1") +
			line("add", recordstest.CitizenID(2), monday, map[string]string{"性别": "女", "姓名": "王五"}, "b-2")
		for i := range 3 {
			res := f.push(f.pusher, entry, batch, records.Options{BatchKey: "batch-1"})
			if res.WarningCount != 1 || res.Replayed != (i > 0) {
				t.Fatalf("batch %d under its key: %+v", i, res)
			}
			want("batch under its key", 3, 2)
		}
		for i := range 2 {
			res := f.push(f.pusher, entry, batch, records.Options{})
			if res.Duplicates != 2 || res.WarningCount != 1 {
				t.Fatalf("batch %d without a key: %+v", i, res)
			}
			want("batch resent without a key", 3, 2)
		}
		// A batch holding a resent line beside a new one counts the new one.
		res := f.push(f.pusher, entry, batch+line("add", recordstest.CitizenID(3), monday, map[string]string{"性别": "男"}, "b-3"),
			records.Options{})
		if res.Applied != 1 || res.Duplicates != 2 {
			t.Fatalf("batch with a new line: %+v", res)
		}
		want("batch with a new line", 4, 3)
	})
}
