package sqldbtest_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

func TestEachGivesMigratedDatabases(t *testing.T) {
	var got []string
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		got = append(got, db.Dialect.String())
		pending, err := db.Pending(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) != 0 {
			t.Errorf("Pending = %q, want a migrated database", pending)
		}
	})
	// The postgres subtest skips without server binaries.
	if g := strings.Join(got, " "); g != "sqlite postgres" && g != "sqlite" {
		t.Errorf("Each ran %q, want sqlite then postgres", g)
	}
}

// Databases are independent: parallel tests each create the same table.
func TestPostgresIsolated(t *testing.T) {
	sqldbtest.Postgres(t) // start the server (or skip) before the timings
	for i := range 8 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			db := sqldbtest.Postgres(t)
			t.Logf("fresh database in %v", time.Since(start).Round(time.Millisecond))
			ctx := t.Context()
			if _, err := db.Write().ExecContext(ctx, `CREATE TABLE scratch (n INT)`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Write().ExecContext(ctx, `INSERT INTO scratch VALUES ($1)`, i); err != nil {
				t.Fatal(err)
			}
			var n, sum int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*), sum(n) FROM scratch`).Scan(&n, &sum); err != nil {
				t.Fatal(err)
			}
			if n != 1 || sum != i {
				t.Errorf("got %d rows summing to %d, want 1 row of %d", n, sum, i)
			}
		})
	}
}

// The database of PostgresDSN is dropped when the test ends, even with a
// connection still open to it (a server the test forgot to stop).
func TestPostgresDSNDropped(t *testing.T) {
	var dsn string
	var leaked *sqldb.DB
	t.Run("use", func(t *testing.T) {
		dsn = sqldbtest.PostgresDSN(t)
		var err error
		leaked, err = sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if pending, err := leaked.Pending(t.Context()); err != nil || len(pending) != 0 {
			t.Errorf("Pending = %q, %v; want a migrated database", pending, err)
		}
	})
	if leaked == nil {
		return // skipped or failed
	}
	defer leaked.Close()
	db, err := sqldb.Open(context.Background(), dsn, sqldb.Options{})
	if err == nil {
		db.Close()
		t.Fatalf("database %s still exists after its test", dsn)
	}
	if !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("open dropped database: %v, want “does not exist”", err)
	}
}

// The cluster is UTF-8 with a UTF-8 ctype, which pg_trgm needs to index
// Chinese text.
func TestPostgresChinese(t *testing.T) {
	db := sqldbtest.Postgres(t)
	ctx := t.Context()
	var enc, ctype string
	err := db.Read().QueryRowContext(ctx,
		`SELECT pg_encoding_to_char(encoding), datctype FROM pg_database WHERE datname = current_database()`).Scan(&enc, &ctype)
	if err != nil {
		t.Fatal(err)
	}
	if enc != "UTF8" || ctype != "C.UTF-8" {
		t.Errorf("encoding %s, ctype %s; want UTF8, C.UTF-8", enc, ctype)
	}
	if _, err := db.Write().ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm`); err != nil {
		t.Skipf("no pg_trgm: %v", err)
	}
	var sim float64
	if err := db.Read().QueryRowContext(ctx, `SELECT similarity('北京市政务数据', '北京市数据')`).Scan(&sim); err != nil {
		t.Fatal(err)
	}
	if sim <= 0 {
		t.Errorf("similarity of two Chinese phrases = %v, want > 0", sim)
	}
}

func TestDSNs(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		if got := sqldb.IsPostgresDSN(dsn); got != (t.Name() == "TestDSNs/postgres") {
			t.Errorf("IsPostgresDSN(%q) = %v in %s", dsn, got, t.Name())
		}
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if pending, err := db.Pending(t.Context()); err != nil || len(pending) != 0 {
			t.Errorf("Pending = %q, %v; want a migrated database", pending, err)
		}
	})
}

// BenchmarkPostgres times a fresh database: CREATE DATABASE from the
// template and Open. (The drops happen in Cleanup, after the timing.)
func BenchmarkPostgres(b *testing.B) {
	sqldbtest.Postgres(b) // start the server outside the timing
	for b.Loop() {
		sqldbtest.Postgres(b)
	}
}

func BenchmarkSQLite(b *testing.B) {
	for b.Loop() {
		sqldbtest.SQLite(b)
	}
}
