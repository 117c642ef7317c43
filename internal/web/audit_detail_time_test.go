package web_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditDetailTimesInBeijing: the audit page shows a time in a row's
// detail (the until of an auth.throttle row, any member stored as RFC 3339
// such as a produced_at or due_at) in Beijing time, as the rest of the
// page and hutong audit list show times, the text as written beside it; a
// value that is no time stays as it is. Before, such values showed only
// in UTC. On both engines.
func TestAuditDetailTimesInBeijing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		by := audit.Actor{Kind: audit.ActorSystem, ID: "checker", Name: "checker"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			return audit.RecordAll(ctx, tx, []audit.Event{
				{Actor: by, Action: "auth.throttle", ObjectType: "address", ObjectID: "192.0.2.1", Outcome: audit.Denied,
					Detail: audit.Detail("reason", "login_failures", "until", "2026-12-05T04:23:32Z")},
				{Actor: by, Action: "records.batch", ObjectType: "catalog_entry", ObjectID: "1",
					Detail: audit.Detail("produced_at", "2026-03-02T01:30:00.25Z", "due_at", "2026-03-04T16:00:00Z", "note", "2026-03-02")},
			}, f.clock.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		c := f.loggedIn(t, "auditor")
		r := c.get("/audit?action=auth.throttle&actor=checker")
		wantAuditRows(t, "throttle", r, 1, detailDD("2026-12-05 12:23:32", "2026-12-05T04:23:32Z"))
		r = c.get("/audit?action=records.batch&actor=checker")
		wantAuditRows(t, "batch", r, 1, detailDD("2026-03-02 09:30:00.25", "2026-03-02T01:30:00.25Z"),
			detailDD("2026-03-05 00:00:00", "2026-03-04T16:00:00Z"), detailDD("2026-03-02", ""))
	})
}

// detailDD is a detail member's value as the audit page shows it, with
// the value as written beside it when raw is not "".
func detailDD(value, raw string) string {
	if raw == "" {
		return "<dd>" + value + "</dd>"
	}
	return "<dd>" + value + ` <span class="muted mono">` + raw + "</span></dd>"
}
