package sqldb_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestTxOnce: Once runs f once per key in a transaction; one that failed
// runs again; after a rollback to a savepoint set before it ran it runs
// again, and not one that ran before the savepoint. CustomPlans sets
// plan_cache_mode to force_custom_plan on PostgreSQL, once: set back to
// auto, a second call leaves it so. On both engines.
func TestTxOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		type a struct{}
		type b struct{}
		runs := map[any]int{}
		run := func(tx *sqldb.Tx, key any, err error) error {
			return tx.Once(key, func() error { runs[key]++; return err })
		}
		failed := errors.New("failed")
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := run(tx, a{}, failed); err != failed {
				t.Errorf("a failing: %v; want %v", err, failed)
			}
			for range 2 {
				if err := run(tx, a{}, nil); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `SAVEPOINT s`); err != nil {
				return err
			}
			if err := run(tx, b{}, nil); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT s`); err != nil {
				return err
			}
			for _, k := range []any{a{}, b{}, b{}} {
				if err := run(tx, k, nil); err != nil {
					return err
				}
			}
			if want := (map[any]int{a{}: 2, b{}: 2}); runs[a{}] != want[a{}] || runs[b{}] != want[b{}] {
				t.Errorf("runs: %v; want %v", runs, want)
			}

			if err := tx.CustomPlans(ctx); err != nil || tx.Dialect != sqldb.Postgres {
				return err
			}
			var mode string
			if err := tx.QueryRowContext(ctx, `SHOW plan_cache_mode`).Scan(&mode); err != nil || mode != "force_custom_plan" {
				t.Errorf("plan_cache_mode after CustomPlans: %q, %v; want force_custom_plan", mode, err)
			}
			if _, err := tx.ExecContext(ctx, `SET LOCAL plan_cache_mode = auto`); err != nil {
				return err
			}
			if err := tx.CustomPlans(ctx); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `SHOW plan_cache_mode`).Scan(&mode); err != nil || mode != "auto" {
				t.Errorf("plan_cache_mode after CustomPlans twice, set to auto between: %q, %v; want auto", mode, err)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}
