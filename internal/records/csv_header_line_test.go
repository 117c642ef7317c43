package records_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVHeaderOnLaterLine: a header after a blank line and a row of empty
// cells (both skipped) is on line 3, and the errors of its columns name
// that line, where they said 表头第 1 行 and line 1 wherever it stood.
func TestCSVHeaderOnLaterLine(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		for _, c := range []struct{ header, code, reason string }{
			{"op,subject_id,produced_at,姓名,备注", "unknown_item", "CSV 表头（第 3 行）的列“备注”"},
			{"op,subject_id,produced_at,姓名,姓 名", "duplicate_item", "CSV 表头（第 3 行）的列“姓名”“姓 名”"},
		} {
			body := "\n,,,,\n" + c.header + "\nadd," + recordstest.CitizenID(1) + ",2026-03-02 10:00:00,张三,x\n"
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rejected) == 0 || res.Rejected[0].Line != 3 || res.Rejected[0].Code != c.code || !strings.HasPrefix(res.Rejected[0].Reason, c.reason) {
				t.Errorf("header %s on line 3: refused %s, want line 3 %s %q", c.header, fmt.Sprint(res.Rejected), c.code, c.reason)
			}
		}
	})
}
