package sqldb_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMigrateConcurrently: several processes migrating a new database at
// the same moment (hutong migrate in a deploy step beside servers started
// with migrations on) queue, and each migration applies once. On
// PostgreSQL, CREATE TABLE IF NOT EXISTS schema_migrations raced in the
// catalog and one of them failed with a duplicate key in pg_type: every
// round of 8 failed (34 of 48 migrators in 6 rounds), so that 2 rounds
// tell as surely, and each round migrates a new database 8 times over.
func TestMigrateConcurrently(t *testing.T) {
	const migrators, rounds = 8, 2
	t.Run("sqlite", func(t *testing.T) {
		for round := range rounds {
			migrateAtOnce(t, filepath.Join(t.TempDir(), fmt.Sprintf("round%d.db", round)), migrators)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := sqldbtest.PostgresDSN(t)
		for range rounds {
			db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = db.Write().ExecContext(t.Context(), `DROP SCHEMA public CASCADE; CREATE SCHEMA public`)
			db.Close()
			if err != nil {
				t.Fatal(err)
			}
			migrateAtOnce(t, dsn, migrators)
		}
	})
}

// migrateAtOnce has n connections to the new database dsn migrate it at
// once, and checks that all succeed and apply every migration once.
func migrateAtOnce(t *testing.T, dsn string, n int) {
	t.Helper()
	want, err := sqldb.Migrations(sqldb.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	dbs := make([]*sqldb.DB, n)
	for i := range dbs {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	applied := make([][]string, n)
	errs := make([]error, n)
	for i, db := range dbs {
		wg.Go(func() {
			<-start
			applied[i], errs[i] = db.Migrate(t.Context())
		})
	}
	close(start)
	wg.Wait()
	var all []string
	for i := range dbs {
		if errs[i] != nil {
			t.Errorf("migrator %d: %v", i, errs[i])
		}
		all = append(all, applied[i]...)
	}
	slices.Sort(all)
	if !slices.Equal(all, want) {
		t.Errorf("the migrators applied %q together, want each of %q once", all, want)
	}
	var rows int
	if err := dbs[0].Read().QueryRowContext(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != len(want) {
		t.Errorf("schema_migrations holds %d rows, want %d", rows, len(want))
	}
}
