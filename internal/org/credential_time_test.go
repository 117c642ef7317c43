package org_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCredentialJudgedAtRequestTimes: a credential is judged at the times
// of its request (audit.WithClock) whether it is checked early in its
// transaction (an account's change by an account of a lower id, a key's
// change of its own app) or as the transaction commits. A session is
// judged by its expiry at the request's arrival: two sessions whose
// 12-hour lifetime ends while their requests last (arrived at login,
// clock 13 hours on) rename each other's account, both accepted, and,
// arrived 13 hours on, both refused. A key in a rotation's grace period
// that ends while its request lasts is refused, by its app's rotation
// and by a write. Until 2026-12-06 the early check judged at the time
// given to the change (the arrival) and the commit's at the clock's, so
// that of one request's renames one was accepted and the other refused
// by the order of the accounts' ids, and the key's rotation was made. On
// both engines.
func TestCredentialJudgedAtRequestTimes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, users := seed(t, db)
		a, b := users[org.Operator], users[org.Reviewer]
		if a.ID > b.ID {
			a, b = b, a
		}
		actors := map[int64]audit.Actor{a.ID: sessionActor(t, db, a), b.ID: sessionActor(t, db, b)}
		clock := func() time.Time { return t0.Add(13 * time.Hour) }
		for _, c := range []struct {
			name    string
			arrived time.Time
			want    string
		}{
			{"the session expiring while the request lasts", t0, ""},
			{"the session expired as the request arrived", t0.Add(13 * time.Hour), "session_invalid"},
		} {
			req := audit.WithClock(ctx, c.arrived, clock)
			for _, by := range [2][2]org.User{{a, b}, {b, a}} {
				name := "新名" + by[0].Username + c.want
				err := db.Tx(ctx, func(tx *sqldb.Tx) error {
					_, err := org.UpdateUser(req, tx, actors[by[0].ID], by[1].ID, org.UserChange{DisplayName: &name}, c.arrived)
					return err
				})
				if code(err) != c.want {
					t.Errorf("%s: %s renaming %s: %v; want %q", c.name, by[0].Username, by[1].Username, err, c.want)
				}
			}
		}

		app, key := createApp(t, db, d, "admin")
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, _, err := org.RotateKey(ctx, tx, admin, app.ID, 10*time.Minute, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		byOld := org.KeyActor(app, strings.Split(key, "_")[1], "127.0.0.1")
		arrived := t0.Add(time.Minute)
		req := audit.WithClock(ctx, arrived, func() time.Time { return t0.Add(11 * time.Minute) })
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, _, err := org.RotateKey(req, tx, byOld, app.ID, 0, arrived)
			return err
		})
		if code(err) != "invalid_api_key" {
			t.Errorf("rotation by a key whose grace ended while the request lasted: %v; want invalid_api_key", err)
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			return org.CreateRegion(req, tx, byOld, &org.Region{Code: "440604", Name: "禅城区", Level: org.District, ParentCode: "440000"}, arrived)
		})
		if code(err) != "invalid_api_key" {
			t.Errorf("write by a key whose grace ended while the request lasted: %v; want invalid_api_key", err)
		}
	})
}
