package org_test

import (
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRotateKeyConcurrently: two rotations of one app at once leave one
// active key (grace 0), or one key without an expiry (a grace): the second
// waits for the first, and replaces the key the first issued. On
// PostgreSQL the first holds its transaction open until the second waits
// for a lock; on SQLite the second waits for the one writer.
func TestRotateKeyConcurrently(t *testing.T) {
	for _, grace := range []time.Duration{0, time.Hour} {
		t.Run(grace.String(), func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				ctx := context.Background()
				d, _ := seed(t, db)
				app, _ := createApp(t, db, d, "data.read")
				rotate := func() error {
					return db.Tx(ctx, func(tx *sqldb.Tx) error {
						_, _, err := org.RotateKey(ctx, tx, admin, app.ID, grace, t0)
						return err
					})
				}
				second := make(chan error, 1)
				err := db.Tx(ctx, func(tx *sqldb.Tx) error {
					if _, _, err := org.RotateKey(ctx, tx, admin, app.ID, grace, t0); err != nil {
						return err
					}
					go func() { second <- rotate() }()
					if db.Dialect == sqldb.Postgres {
						sqldbtest.AwaitLockWait(t, db, "the second rotation never waited for the first")
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if err := <-second; err != nil {
					t.Fatalf("second rotation: %v", err)
				}
				var active, open int
				if err := db.Read().QueryRowContext(ctx, `SELECT count(*), count(*) - count(expires_at) FROM app_keys
					WHERE app_id = $1 AND revoked_at IS NULL`, app.ID).Scan(&active, &open); err != nil {
					t.Fatal(err)
				}
				if grace == 0 && active != 1 {
					t.Errorf("%d active keys, want 1", active)
				}
				if open != 1 {
					t.Errorf("%d active keys without an expiry, want 1", open)
				}
			})
		})
	}
}
