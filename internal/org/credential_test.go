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

// TestCredentialCheckedAsWriteCommits: a write recorded in the name of
// an actor with a credential (KeyActor, SessionActor) commits only while
// the credential is valid in the database: refused invalid_api_key once
// its key is rotated away without grace or its app revoked, and
// session_invalid once its account is disabled or its role changed,
// nothing of it stored. An app rotating its own key without grace, or
// revoking itself, is judged by its key as it was, and done. On
// PostgreSQL a role change under way while a write holds the session
// checked waits for the write, which commits.
func TestCredentialCheckedAsWriteCommits(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, users := seed(t, db)
		region := func(by audit.Actor, code, name string) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error {
				return org.CreateRegion(ctx, tx, by, &org.Region{Code: code, Name: name, Level: org.District, ParentCode: "440000"}, t0)
			})
		}
		stored := func(code string) bool {
			var n int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM regions WHERE code = $1`, code).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n == 1
		}
		app, key := createApp(t, db, d, "admin")
		byKey := org.KeyActor(app, strings.Split(key, "_")[1], "127.0.0.1")
		if err := region(byKey, "440604", "禅城区"); err != nil {
			t.Fatalf("write with a valid key: %v", err)
		}
		var newKey string
		err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			_, newKey, err = org.RotateKey(ctx, tx, byKey, app.ID, 0, t0)
			return err
		})
		if err != nil {
			t.Fatalf("an app rotating its own key without grace: %v", err)
		}
		if err := region(byKey, "440606", "顺德区"); code(err) != "invalid_api_key" || stored("440606") {
			t.Errorf("write with a key rotated away: %v, stored %v; want invalid_api_key, nothing stored", err, stored("440606"))
		}
		byNewKey := org.KeyActor(app, strings.Split(newKey, "_")[1], "127.0.0.1")
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.RevokeApp(ctx, tx, byNewKey, app.ID, t0) }); err != nil {
			t.Fatalf("an app revoking itself: %v", err)
		}
		if err := region(byNewKey, "440606", "顺德区"); code(err) != "invalid_api_key" || stored("440606") {
			t.Errorf("write with a key of a revoked app: %v, stored %v; want invalid_api_key, nothing stored", err, stored("440606"))
		}

		login := func(r org.Role) audit.Actor {
			s, u, err := org.Login(ctx, db, users[r].Username, password, org.Client{RemoteAddr: "127.0.0.1"}, t0)
			if err != nil {
				t.Fatalf("login %s: %v", users[r].Username, err)
			}
			return org.SessionActor(u, s, "127.0.0.1")
		}
		byAdmin := login(org.DeptAdmin)
		if err := region(byAdmin, "440606", "顺德区"); err != nil {
			t.Fatalf("write with a valid session: %v", err)
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.SetDisabledIf(ctx, tx, admin, users[org.DeptAdmin].ID, true, nil, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := region(byAdmin, "440607", "三水区"); code(err) != "session_invalid" || stored("440607") {
			t.Errorf("write of a disabled account's session: %v, stored %v; want session_invalid, nothing stored", err, stored("440607"))
		}

		byReviewer := login(org.Reviewer)
		operator := org.Operator
		changed := make(chan error, 1)
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := audit.CheckCredential(ctx, tx, byReviewer, t0); err != nil {
				return err
			}
			if db.Dialect != sqldb.Postgres {
				return nil // SQLite: this transaction holds the one writer
			}
			go func() {
				changed <- db.Tx(ctx, func(tx *sqldb.Tx) error {
					_, err := org.UpdateUser(ctx, tx, admin, users[org.Reviewer].ID, org.UserChange{Role: &operator}, t0)
					return err
				})
			}()
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
				var waiting int
				if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
					WHERE wait_event_type = 'Lock' AND datname = current_database()`).Scan(&waiting); err != nil {
					return err
				}
				if waiting > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the role change did not wait for the write")
				}
			}
			return org.CreateRegion(ctx, tx, byReviewer, &org.Region{Code: "440607", Name: "三水区", Level: org.District, ParentCode: "440000"}, t0)
		})
		if err != nil {
			t.Fatalf("write holding its session: %v", err)
		}
		if db.Dialect == sqldb.Postgres {
			if err := <-changed; err != nil {
				t.Fatalf("role change after the write: %v", err)
			}
			if !stored("440607") {
				t.Error("write holding its session: not stored")
			}
		} else if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.UpdateUser(ctx, tx, admin, users[org.Reviewer].ID, org.UserChange{Role: &operator}, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := region(byReviewer, "440608", "高明区"); code(err) != "session_invalid" || stored("440608") {
			t.Errorf("write of a session whose role changed: %v, stored %v; want session_invalid, nothing stored", err, stored("440608"))
		}
	})
}
