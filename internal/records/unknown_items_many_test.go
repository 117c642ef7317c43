package records_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestManyUnknownItems: a line whose values hold 1,000 names of no item
// is refused with an unknown_item for each of the first errs.MaxKeyIssues
// (in name order) and one more, of no item, counting the other 980, as a
// line of many unknown fields is, where it listed 1,000 errors.
func TestManyUnknownItems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		var vals strings.Builder
		for i := range 1000 {
			fmt.Fprintf(&vals, `,"x%04d":"1"`, i)
		}
		body := `{"op":"add","subject_id":"` + recordstest.CitizenID(1) + `","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张三"` + vals.String() + "}}\n"
		res := f.push(f.pusher, f.hj, body, records.Options{})
		var want []string
		for i := range errs.MaxKeyIssues {
			want = append(want, fmt.Sprintf("1:unknown_item:x%04d", i))
		}
		want = append(want, "1:unknown_item:")
		if g, w := refusals(res), strings.Join(want, " "); g != w {
			t.Errorf("refused\n%s\nwant\n%s", g, w)
		}
		if n := len(res.Rejected); n > 0 && !strings.Contains(res.Rejected[n-1].Reason, strconv.Itoa(1000-errs.MaxKeyIssues)) {
			t.Errorf("the count of the others: %q", res.Rejected[n-1].Reason)
		}
		if res.RejectedCount != errs.MaxKeyIssues+1 || res.RejectedLines != 1 || res.Applied != 0 {
			t.Errorf("%d errors, %d refused lines, %d applied; want %d, 1, 0", res.RejectedCount, res.RejectedLines, res.Applied, errs.MaxKeyIssues+1)
		}
	})
}
