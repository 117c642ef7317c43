package org_test

import (
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// lockRecorder is the Attempts of a request that records the lock-outs
// it is told of.
type lockRecorder struct {
	until []time.Time
	by    []org.LockedBy
}

func (r *lockRecorder) Allow() (<-chan struct{}, error) { return nil, nil }
func (r *lockRecorder) Left()                           {}
func (r *lockRecorder) Failed()                         {}
func (r *lockRecorder) Passed()                         {}
func (r *lockRecorder) Locked(_ string, until time.Time, by org.LockedBy) {
	r.until, r.by = append(r.until, until), append(r.by, by)
}

// TestLockEndToldAsStored: the end of a lock-out told to the request's
// Attempts (which logs it) is the locked_until stored, by a login and by a
// password change's wrong current password alike. Login told its own
// now.Add(LockDuration) and a password change the end it computed, both
// to the nanosecond, where PostgreSQL stores microseconds: at a time with
// nanoseconds the end logged was not the one stored. On both engines.
func TestLockEndToldAsStored(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		_, users := seed(t, db)
		now := t0.Add(time.Minute + 123456789*time.Nanosecond)
		stored := func(username string) time.Time {
			t.Helper()
			var until time.Time
			if err := db.Read().QueryRowContext(context.Background(),
				`SELECT locked_until FROM login_failures WHERE username = $1`, username).Scan(&until); err != nil {
				t.Fatal(err)
			}
			return until
		}

		rec := &lockRecorder{}
		ctx := org.WithAttempts(context.Background(), rec)
		u := users[org.Reviewer]
		for range org.MaxLoginFailures {
			org.Login(ctx, db, u.Username, "Wrong-Horse-9", org.Client{}, now)
		}
		if len(rec.until) != 1 || rec.by[0] != org.LockedByLogin {
			t.Fatalf("login: told %v by %v, want one lock-out by a login", rec.until, rec.by)
		}
		if want := stored(u.Username); !rec.until[0].Equal(want) {
			t.Errorf("login: told the lock-out ends at %v, stored %v", rec.until[0], want)
		}

		rec = &lockRecorder{}
		ctx = org.WithAttempts(context.Background(), rec)
		a := users[org.Auditor]
		s := login(t, db, a.Username, password, now)
		for range org.MaxLoginFailures {
			org.ChangePassword(ctx, db, a, s.Token, "Wrong-Horse-9", "Brand-New-Horse-7", "", now)
		}
		if len(rec.until) != 1 || rec.by[0] != org.LockedByPasswordChange {
			t.Fatalf("password change: told %v by %v, want one lock-out by a password change", rec.until, rec.by)
		}
		if want := stored(a.Username); !rec.until[0].Equal(want) {
			t.Errorf("password change: told the lock-out ends at %v, stored %v", rec.until[0], want)
		}
	})
}
