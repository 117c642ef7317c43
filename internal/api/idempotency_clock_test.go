package api_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestKeySweepClockSteps: a sweep of expired Idempotency-Keys on a
// server whose clock is ahead by less than KeySweepMargin keeps a key
// still replayed by the right time, where it deleted every key older than
// the step less KeyTTL, and deletes it once past the margin, where a
// margin of a day kept every answer, import reports included, 48 hours;
// and after the clock is stepped back, the next sweep is due at once,
// where none was until the clock passed the last sweep's time again. On
// both engines.
func TestKeySweepClockSteps(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.Write().ExecContext(ctx, `INSERT INTO idempotency_keys (principal, key, request_hash, status, body, created_at)
			VALUES ('app:1', 'k0', 'h', 201, '{}', $1), ('app:1', 'old', 'h', 201, '{}', $2)`,
			t0.UTC(), t0.Add(-3*api.KeyTTL).UTC()); err != nil {
			t.Fatal(err)
		}
		a := &api.API{DB: db, Log: slog.New(slog.DiscardHandler)}
		ahead := t0.Add(api.KeyTTL + api.KeySweepMargin - time.Minute)
		if !a.SweepDue(ahead) {
			t.Fatal("the first sweep is not due")
		}
		if err := a.DeleteExpiredKeys(ctx, ahead); err != nil {
			t.Fatal(err)
		}
		if keys := sqldbtest.Column(t, db, `SELECT key FROM idempotency_keys ORDER BY key`); len(keys) != 1 || keys[0] != "k0" {
			t.Errorf("keys after a sweep %v ahead: %q, want k0 kept, the old one deleted", ahead.Sub(t0), keys)
		}
		if err := a.DeleteExpiredKeys(ctx, t0.Add(30*time.Hour+time.Minute)); err != nil {
			t.Fatal(err)
		}
		if keys := sqldbtest.Column(t, db, `SELECT key FROM idempotency_keys`); len(keys) != 0 {
			t.Errorf("keys after a sweep 30 h after k0: %q, want none", keys)
		}
		if a.SweepDue(ahead.Add(time.Minute)) {
			t.Error("a sweep due a minute after the last")
		}
		if !a.SweepDue(t0.Add(time.Minute)) {
			t.Error("no sweep due after the clock was stepped back")
		}
	})
}
