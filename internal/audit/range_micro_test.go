package audit_test

import (
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestListRangeBelowMicrosecond: bounds of List's time with digits below
// the microsecond select the same rows on both engines, each rounded up to
// the next microsecond (a row's time is stored to the microsecond). Before,
// PostgreSQL dropped those digits and SQLite compared them: for rows at t,
// since t and until t+0.1µs gave them all on SQLite and none on
// PostgreSQL, since t+0.5µs gave none on SQLite and all on PostgreSQL,
// rows before since. Both ways of reading are checked: through
// audit_log_at (no other filter) and walking the log (ActorName).
func TestListRangeBelowMicrosecond(t *testing.T) {
	at := t0.Truncate(time.Microsecond) // the rows' time, as stored
	ns := func(n int) time.Time { return at.Add(time.Duration(n)) }
	cases := []struct {
		name         string
		since, until time.Time
		want         int
	}{
		{"since t until t+0.1µs", at, ns(100), 3},
		{"since t+0.5µs", ns(500), time.Time{}, 0},
		{"since t+0.5µs until t+1s", ns(500), at.Add(time.Second), 0},
		{"since t-0.5µs until t+0.1µs", ns(-500), ns(100), 3},
		{"until t", time.Time{}, at, 0},
		{"until t-0.5µs", time.Time{}, ns(-500), 0},
		{"until t+1ns", time.Time{}, ns(1), 3},
		{"since t-1ns until t+1µs", ns(-1), ns(1000), 3},
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		var evs []audit.Event
		for range 3 {
			evs = append(evs, audit.Event{Actor: audit.Actor{Kind: audit.ActorUser, ID: "7", Name: "gaj.admin"},
				Action: "data.query", ObjectType: "catalog_entry", ObjectID: "12", Purpose: "NH2026-0001"})
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return audit.RecordAll(ctx, tx, evs, t0) }); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			for _, actor := range []string{"", "gaj.admin"} {
				rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Since: c.since, Until: c.until, ActorName: actor})
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) != c.want {
					t.Errorf("%s (actor %q): %d rows, want %d", c.name, actor, len(rows), c.want)
				}
			}
		}
	})
}
