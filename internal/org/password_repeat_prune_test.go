package org_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPruneReplacedPasswordHash: the password hash an own change replaced,
// kept on the session that made it for the change sent again within
// org.RepeatWindow, is forgotten by the upkeep's sweep (PruneSessions)
// once the window is over, the session itself open and still valid; within
// the window it is kept. Until 2026-12-06 it was kept for the session's
// life. On both engines.
func TestPruneReplacedPasswordHash(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, s, changed := changedOnce(t, db, "Battery-Staple-7")
		kept := func() bool {
			t.Helper()
			var h sql.NullString
			if err := db.Read().QueryRowContext(ctx, `SELECT replaced_password_hash FROM sessions`).Scan(&h); err != nil {
				t.Fatal(err)
			}
			return h.Valid
		}
		if !kept() {
			t.Fatal("no replaced password hash on the session after the change")
		}
		if _, err := org.PruneSessions(ctx, db, changed.Add(org.RepeatWindow-time.Second)); err != nil {
			t.Fatal(err)
		}
		if !kept() {
			t.Error("the replaced hash cleared within the repeat window")
		}
		after := changed.Add(org.RepeatWindow + time.Second)
		if _, err := org.PruneSessions(ctx, db, after); err != nil {
			t.Fatal(err)
		}
		if kept() {
			t.Error("the replaced hash kept on the session after the repeat window")
		}
		if _, _, err := org.SessionUser(ctx, db.Read(), s.Token, after); err != nil {
			t.Errorf("the session after the sweep: %v, want it open", err)
		}
	})
}
