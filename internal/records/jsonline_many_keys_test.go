package records_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// manyKeys is n keys k0, k1, … of value 1, each after a comma.
func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(`,"k` + strconv.Itoa(i) + `":1`)
	}
	return b.String()
}

// TestJSONLineManyUnknownKeys: a line of 70,000 keys naming no field is
// refused with an unknown_field for each of the first errs.MaxKeyIssues,
// in order, and one more counting the others, where it listed 70,000
// errors; a line whose values name an item again after 80,000 others is
// refused duplicate_item for it (80,000: a line is at most 1 MiB).
func TestJSONLineManyUnknownKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		op := `{"op":"add","subject_id":"` + recordstest.CitizenID(1) + `","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张三"}`
		body := op + manyKeys(70000) + "}\n" +
			`{"op":"add","subject_id":"` + recordstest.CitizenID(2) + `","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张三"` + manyKeys(80000) + `,"k79999":2}}` + "\n"
		res := f.push(f.pusher, f.hj, body, records.Options{})
		var want []string
		for i := range errs.MaxKeyIssues {
			want = append(want, "1:unknown_field:k"+strconv.Itoa(i))
		}
		want = append(want, "1:unknown_field:", "2:duplicate_item:k79999")
		if g, w := refusals(res), strings.Join(want, " "); g != w {
			t.Errorf("refused\n%s\nwant\n%s", g, w)
		}
		if n := len(res.Rejected); n == errs.MaxKeyIssues+2 && !strings.Contains(res.Rejected[n-2].Reason, strconv.Itoa(70000-errs.MaxKeyIssues)) {
			t.Errorf("the count of the others: %q", res.Rejected[n-2].Reason)
		}
		if res.RejectedCount != errs.MaxKeyIssues+2 || res.RejectedLines != 2 || res.Lines != 2 {
			t.Errorf("%d errors, %d refused lines of %d; want %d, 2 of 2", res.RejectedCount, res.RejectedLines, res.Lines, errs.MaxKeyIssues+2)
		}
	})
}
