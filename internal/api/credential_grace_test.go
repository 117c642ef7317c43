package api_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestKeyGraceEndedDuringUpload: a batch sent with a key rotated away
// whose grace period ends while the batch's body arrives is refused 401
// invalid_api_key, and nothing of it is kept: its credential is checked
// at the time its transaction commits, not at its request's arrival.
// Until 2026-12-06 it was checked at the arrival, and applied (201). A
// key whose grace ends later is accepted, and the batch's audit row is
// dated when it was written, after the body arrived; the batch keeps its
// arrival as received_at.
func TestKeyGraceEndedDuringUpload(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		ctx := context.Background()
		sys := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
		batches := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10) + "/batches"
		line := opLine("add", recordstest.CitizenID(7), beijing(t0.Add(-time.Hour)), map[string]string{"姓名": "张三"}) + "\n"
		// rotated is the key, rotated away with grace, of a new app of 公安.
		rotated := func(name string, grace time.Duration) string {
			t.Helper()
			var key string
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				app, k, err := org.CreateApp(ctx, tx, sys, org.NewApp{Name: name, DepartmentID: rf.gaID, Scopes: []string{"records.write"}}, rf.clock.Now())
				if err != nil {
					return err
				}
				key = k
				_, _, err = org.RotateKey(ctx, tx, sys, app.ID, grace, rf.clock.Now())
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return key
		}

		key := rotated("宽限将尽", 10*time.Minute)
		u := holdUpload(t, rf.srv.URL, batches, "Authorization", "Bearer "+key, "Content-Type", "application/x-ndjson")
		u.send(t, line)
		awaitKeyUse(t, db, keyIDOf(key), nil)
		rf.clock.Add(11 * time.Minute)
		if a := u.finish(t); a.status != http.StatusUnauthorized || a.body["code"] != "invalid_api_key" {
			t.Errorf("grace ended during the upload: %d %v, want 401 invalid_api_key", a.status, a.body)
		}
		for _, q := range []string{`SELECT count(*) FROM record_batches`, `SELECT count(*) FROM record_versions`,
			`SELECT count(*) FROM audit_log WHERE action = 'records.batch'`} {
			if n := rf.countWhere(t, q); n != 0 {
				t.Errorf("grace ended during the upload: %s = %d, want 0", q, n)
			}
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'auth.key' AND outcome = 'denied'
			AND object_id = $1`, keyIDOf(key)); n != 1 {
			t.Errorf("grace ended during the upload: %d denied auth.key rows of the key, want 1", n)
		}

		key = rotated("宽限尚余", time.Hour)
		arrived := rf.clock.Now()
		u = holdUpload(t, rf.srv.URL, batches, "Authorization", "Bearer "+key, "Content-Type", "application/x-ndjson")
		u.send(t, line)
		awaitKeyUse(t, db, keyIDOf(key), nil)
		rf.clock.Add(11 * time.Minute)
		if a := u.finish(t); a.status != http.StatusCreated {
			t.Fatalf("grace ending after the upload: %d %v, want 201", a.status, a.body)
		}
		var received, at time.Time
		if err := db.Read().QueryRowContext(ctx, `SELECT b.received_at, l.at FROM record_batches b, audit_log l
			WHERE l.action = 'records.batch'`).Scan(&received, &at); err != nil {
			t.Fatal(err)
		}
		if !received.Equal(arrived) || !at.Equal(rf.clock.Now()) {
			t.Errorf("batch received at %v, its audit row at %v; want %v (the arrival), %v (the write)", received, at, arrived, rf.clock.Now())
		}
	})
}
