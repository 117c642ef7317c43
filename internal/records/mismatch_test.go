package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSubjectIDMismatchWarned: a birth date or a sex that contradicts the
// subject's citizen ID is applied with a warning per item
// (subject_id_mismatch), kept with the batch, and the line counts as
// invalid in the entry's validity score; values that agree with it, or
// that state no date or sex, are not warned of.
func TestSubjectIDMismatchWarned(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		entry := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000009", Name: "户籍人口基本信息", SubjectKind: "person",
			Items: []records.Item{personItems[0], {Name: "性别", Type: "C", Length: 4}, {Name: "出生年月日", Type: "D"},
				{Name: "出生时间", Type: "T"}}})
		// Born 1960-01-01 and 1960-01-02, women (the 17th digit, 0, is
		// even); a birth time is read by its date in Beijing time.
		p1, p2 := recordstest.CitizenID(0), recordstest.CitizenID(1)
		res := f.push(f.pusher, entry, line("add", p1, monday, map[string]string{"性别": "女", "出生年月日": "19600101",
			"出生时间": "1959-12-31T16:30:00Z"}, "")+
			line("add", p2, monday, map[string]string{"性别": "男性", "出生年月日": "1960-01-03", "出生时间": "1960-01-01T15:00:00Z"}, "")+
			line("change", p1, monday.Add(time.Minute), map[string]string{"性别": "未说明"}, ""), records.Options{})
		if res.Applied != 3 || res.WarningCount != 3 {
			t.Fatalf("push: %+v, want 3 applied, 3 warnings", res)
		}
		for i, want := range []string{"性别", "出生年月日", "出生时间"} {
			w := res.Warnings[i]
			if w.Line != 2 || w.Code != "subject_id_mismatch" || w.Field != want || !strings.Contains(w.Reason, "公民身份号码") ||
				strings.Contains(w.Reason, p2) {
				t.Errorf("warning %d = %+v, want line 2 subject_id_mismatch on %s, naming no identifier", i, w, want)
			}
		}
		// Each says which of the ID's facts the item disagrees with,
		// quoting neither value: the ID's birth date would undo the
		// mask of subject_id_masked for the batch's other readers.
		for i, want := range []string{"所载性别（第17位", "所载出生日期（第7至14位）", "所载出生日期（第7至14位）"} {
			if r := res.Warnings[i].Reason; !strings.Contains(r, want) || strings.Contains(r, "男性") || strings.Contains(r, "1960") ||
				strings.Contains(r, "19600102") || strings.Contains(r, "（女") {
				t.Errorf("warning %d says %q, want %q and neither value", i, r, want)
			}
		}
		b, _, err := records.Batch(f.ctx, db.Read(), res.BatchID)
		if err != nil || b.WarningCount != 3 || len(b.Warnings) != 3 {
			t.Errorf("stored batch: %+v, %v", b, err)
		}
		q := f.quality(entry)
		if q.MismatchedLines != 1 || q.CheckedLines != 3 || q.Validity != 0.6667 {
			t.Errorf("quality: %+v, want 1 of 3 lines mismatched, validity 0.6667", q)
		}
	})
}
