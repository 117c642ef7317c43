package org_test

import (
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLockedUntilRead: an account locked out by wrong passwords, at login
// (its username typed in capitals) or on the password page, carries the
// lock-out's end in the lists (FindUsers, FindUserListings) and ReadLock
// as of the time they are given, until it ends; the other accounts, and
// the lists not given a time, carry none. They showed no lock at all.
// On both engines.
func TestLockedUntilRead(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, users := seed(t, db)
		reviewer, auditor := users[org.Reviewer], users[org.Auditor]
		for i := 0; i < org.MaxLoginFailures; i++ {
			if _, _, err := org.Login(ctx, db, "U.REVIEWER", "Wrong-Horse-9", org.Client{}, t0); code(err) == "" {
				t.Fatalf("wrong password %d: logged in", i+1)
			}
		}
		s := login(t, db, auditor.Username, password, t0)
		for i := 0; i < org.MaxLoginFailures; i++ {
			if err := org.ChangePassword(ctx, db, auditor, s.Token, "Wrong-Horse-9", "Battery-Staple-7", "", t0); code(err) == "" {
				t.Fatalf("wrong current password %d: changed", i+1)
			}
		}
		end := t0.Add(org.LockDuration)
		want := map[int64]time.Time{reviewer.ID: end, auditor.ID: end}

		check := func(at time.Time, locked map[int64]time.Time) {
			t.Helper()
			f := org.UserFilter{DepartmentID: d.ID, Now: at}
			us, _, err := org.FindUsers(ctx, db.Read(), f)
			if err != nil {
				t.Fatal(err)
			}
			ls, _, err := org.FindUserListings(ctx, db.Read(), f)
			if err != nil {
				t.Fatal(err)
			}
			if len(us) != len(users) || len(ls) != len(users) {
				t.Fatalf("listed %d and %d accounts, want %d", len(us), len(ls), len(users))
			}
			for i, u := range us {
				byID, err := org.UserByID(ctx, db.Read(), u.ID)
				if err != nil {
					t.Fatal(err)
				}
				if err := byID.ReadLock(ctx, db.Read(), at); err != nil {
					t.Fatal(err)
				}
				for _, got := range []struct {
					how   string
					until *time.Time
				}{{"FindUsers", u.LockedUntil}, {"FindUserListings", ls[i].LockedUntil}, {"ReadLock", byID.LockedUntil}} {
					end, ok := locked[u.ID]
					switch {
					case ok && (got.until == nil || !got.until.Equal(end)):
						t.Errorf("at %s, %s: %s locked until %v, want %s", at.Format(time.TimeOnly), got.how, u.Username, got.until, end)
					case !ok && got.until != nil:
						t.Errorf("at %s, %s: %s locked until %s, want not locked", at.Format(time.TimeOnly), got.how, u.Username, got.until)
					}
				}
			}
		}
		check(t0, want)
		check(end.Add(-time.Second), want)
		check(end, nil)

		us, _, err := org.FindUsers(ctx, db.Read(), org.UserFilter{DepartmentID: d.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range us {
			if u.LockedUntil != nil {
				t.Errorf("no time given: %s locked until %s, want none read", u.Username, u.LockedUntil)
			}
		}
	})
}
