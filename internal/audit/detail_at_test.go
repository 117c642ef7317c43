package audit_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDetailAtInBeijingTime: the time a past-time read asked for (the at
// of records.read rows, stored in UTC as RFC 3339) is shown in Beijing
// time, as every time people read is, with the stored text beside it;
// rows stored so before keep it and show so too. A value that is no time
// is shown as written. Read back from the log on both engines.
func TestDetailAtInBeijingTime(t *testing.T) {
	for _, c := range []struct{ at, want string }{
		{"2019-12-31T16:00:00Z", "2020-01-01 00:00:00"},
		{"2026-03-02T01:30:00.25Z", "2026-03-02 09:30:00.25"},
		{"2026-03-02T09:30:00+08:00", "2026-03-02 09:30:00"},
		// A read at a date (?at=2026-03-02) reads the day's last
		// nanosecond, shown as the day's end; it showed
		// 2026-03-02 23:59:59.999999999. The instant before is a time.
		{"2026-03-02T15:59:59.999999999Z", "2026-03-02 当日结束时"},
		{"2026-03-02T23:59:59.999999999+08:00", "2026-03-02 当日结束时"},
		{"2026-03-02T15:59:59.999999998Z", "2026-03-02 23:59:59.999999998"},
		{"2026-03-02T16:00:00Z", "2026-03-03 00:00:00"},
		{"明天", "明天"},
	} {
		f := audit.DetailFields("records.read", "", audit.Detail("at", c.at))
		raw := c.at
		if c.want == c.at {
			raw = ""
		}
		if len(f) != 1 || f[0].Label != "查询时点" || f[0].Value != c.want || f[0].Raw != raw {
			t.Errorf("at %q: %+v, want %q beside %q", c.at, f, c.want, raw)
		}
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		ev := audit.Event{Action: "records.read", ObjectType: "catalog_entry", ObjectID: "1", SubjectID: "11010519491231002X",
			Detail: audit.Detail("at", "2019-12-31T16:00:00Z")}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return audit.Record(ctx, tx, ev, t0) }); err != nil {
			t.Fatal(err)
		}
		rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "records.read"})
		if err != nil || len(rows) != 1 {
			t.Fatalf("%d rows, %v", len(rows), err)
		}
		if f := audit.DetailFields(rows[0].Action, rows[0].Outcome, rows[0].Detail); len(f) != 1 || f[0].Value != "2020-01-01 00:00:00" {
			t.Errorf("stored row's at: %+v", f)
		}
	})
}
