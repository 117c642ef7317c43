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

// TestPushesOfOneFactAtOnce: two entries pushing the same new value at once
// leave no discrepancy. Both hold 张三; 社保's push of 李四 is under way
// when 户籍 pushes 李四. 户籍's comparison used to read 社保's 张三 (on
// PostgreSQL, 社保's push not committed) and keep the discrepancy 社保's
// had opened. SQLite's one writer runs them one after the other.
func TestPushesOfOneFactAtOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		s := recordstest.CitizenID(1)
		f.push(f.pusher, f.hj, line("add", s, monday, map[string]string{"姓名": "张三"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", s, monday, map[string]string{"姓名": "张三"}, ""), records.Options{})
		change := line("change", s, monday.Add(time.Minute), map[string]string{"姓名": "李四"}, "")
		type pushed struct {
			res records.BatchResult
			err error
		}
		done := make(chan pushed, 1)
		blocked := f.blocked()
		f.held(f.rsjPusher, f.sb, change, func() {
			go func() {
				res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.JSONLines(strings.NewReader(change)), f.receivedAt,
					records.Options{})
				done <- pushed{res, err}
			}()
			blocked(1)
		})
		got := <-done
		if got.err != nil || got.res.Applied != 1 {
			t.Fatalf("户籍's push: %+v, %v", got.res, got.err)
		}
		if l := f.live(s); len(l) != 0 {
			t.Errorf("discrepancies %+v; want none: both records hold 李四", l)
		}
	})
}
