package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOutOfOrderTimesReadable: an out_of_order refusal names the two
// times, labelled Beijing time (（北京时间）, which it lacked), to the
// second (2026-03-02 10:03:01), where it printed their
// microseconds (10:03:01.987306); in the same second it gives the
// milliseconds, which tell them apart, and the microseconds only when
// those are the same too. On both engines.
func TestOutOfOrderTimesReadable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		op := func(kind, at, name string) string {
			return `{"op":"` + kind + `","subject_id":"` + p1 + `","produced_at":"2026-03-02T` + at + `+08:00","values":{"姓名":"` + name + `"}}` + "\n"
		}
		f.push(f.pusher, f.hj, op("add", "10:03:01.987306", "张三"), records.Options{})
		for _, tt := range []struct{ older, newerShown, olderShown string }{
			{"10:03:00.5", "2026-03-02 10:03:01（北京时间），", "2026-03-02 10:03:00（北京时间）："},
			{"10:03:01.5", "2026-03-02 10:03:01.987（北京时间），", "2026-03-02 10:03:01.500（北京时间）："},
			{"10:03:01.987001", "2026-03-02 10:03:01.987306（北京时间），", "2026-03-02 10:03:01.987001（北京时间）："},
		} {
			res := f.pushRefused(op("change", tt.older, "李四"))
			if res.RejectedCount != 1 || res.Rejected[0].Code != "out_of_order" {
				t.Fatalf("change at %s: %+v, want out_of_order", tt.older, res)
			}
			if r := res.Rejected[0].Reason; !strings.Contains(r, "产生于 "+tt.newerShown) || !strings.Contains(r, "数据产生时间（produced_at）"+tt.olderShown) {
				t.Errorf("change at %s: reason %q, want %s and %s", tt.older, r, tt.newerShown, tt.olderShown)
			}
		}
	})
}
