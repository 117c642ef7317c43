package audit_test

import (
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCrossSiteActorRefused: a row naming a cross-site actor (a session
// whose request another site made) is refused, 403 cross_site_read, by
// every way rows are written — Record, RecordAll and the group commit —
// and so are the rows written with it, none written; the mark says so
// (Refused), for the console's page. Other actors' rows are written.
// On both engines.
func TestCrossSiteActorRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		clerk := audit.Actor{Kind: audit.ActorUser, ID: "7", Name: "张三", RemoteAddr: "10.0.0.7"}
		read := func(by audit.Actor) audit.Event {
			return audit.Event{Actor: by, Action: "records.read", ObjectType: "catalog_entry", ObjectID: "1",
				SubjectID: "440605195101040722", Purpose: "ATTACKER"}
		}
		g := audit.NewGroup(db)
		for name, write := range map[string]func(evs ...audit.Event) error{
			"Record": func(evs ...audit.Event) error {
				return db.Tx(ctx, func(tx *sqldb.Tx) error { return audit.Record(ctx, tx, evs[len(evs)-1], now) })
			},
			"RecordAll": func(evs ...audit.Event) error {
				return db.Tx(ctx, func(tx *sqldb.Tx) error { return audit.RecordAll(ctx, tx, evs, now) })
			},
			"Group.Record":    func(evs ...audit.Event) error { return g.Record(evs[len(evs)-1], now) },
			"Group.RecordAll": func(evs ...audit.Event) error { return g.RecordAll(evs, now) },
		} {
			cross := clerk
			cross.CrossSite = &audit.CrossSite{}
			err := write(read(clerk), read(cross))
			if e := errs.As(err); e == nil || e.Kind != errs.Forbidden || e.Code != audit.CrossSiteCode {
				t.Errorf("%s: %v, want 403 %s", name, err, audit.CrossSiteCode)
			}
			if !cross.CrossSite.Refused() {
				t.Errorf("%s: the mark does not say the row was refused", name)
			}
			if rows, _, err := audit.List(ctx, db.Read(), audit.Filter{}); err != nil || len(rows) != 0 {
				t.Fatalf("%s: %d rows written, %v; want none", name, len(rows), err)
			}
		}
		if (*audit.CrossSite)(nil).Refused() {
			t.Error("no mark says refused")
		}
		if err := g.Record(read(clerk), now); err != nil {
			t.Fatal(err)
		}
	})
}
