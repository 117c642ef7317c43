package sqldb_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

func TestMigrationNamesMatch(t *testing.T) {
	lite, err := sqldb.Migrations(sqldb.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := sqldb.Migrations(sqldb.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(lite, pg); diff != "" {
		t.Errorf("migration files differ between sqlite and postgres (-sqlite +postgres):\n%s", diff)
	}
}

func TestMigrateIdempotent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		applied, err := db.Migrate(ctx)
		if err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if len(applied) != 0 {
			t.Errorf("second Migrate applied %q, want nothing", applied)
		}
		pending, err := db.Pending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) != 0 {
			t.Errorf("Pending = %q, want nothing", pending)
		}
		want, err := sqldb.Migrations(db.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		rows, err := db.Read().QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			got = append(got, name)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("schema_migrations (-want +got):\n%s", diff)
		}
	})
}

// scratch creates a table of the test's own, so that these tests do not
// depend on the schema.
func scratch(t *testing.T, db *sqldb.DB) {
	t.Helper()
	_, err := db.Write().ExecContext(t.Context(), `CREATE TABLE scratch (
		k TEXT PRIMARY KEY,
		u TEXT UNIQUE,
		n TEXT NOT NULL DEFAULT '')`)
	if err != nil {
		t.Fatalf("create scratch table: %v", err)
	}
}

func count(t *testing.T, q sqldb.Querier, k string) int {
	t.Helper()
	var n int
	if err := q.QueryRowContext(context.Background(), `SELECT count(*) FROM scratch WHERE k = $1`, k).Scan(&n); err != nil {
		t.Fatalf("count %q: %v", k, err)
	}
	return n
}

func TestIsUniqueViolation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		scratch(t, db)
		w := db.Write()
		if _, err := w.ExecContext(t.Context(), `INSERT INTO scratch (k, u) VALUES ('a', '甲')`); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			insert string
			want   bool
		}{
			{"duplicate primary key", `INSERT INTO scratch (k, u) VALUES ('a', '乙')`, true},
			{"duplicate unique column", `INSERT INTO scratch (k, u) VALUES ('b', '甲')`, true},
			{"not null", `INSERT INTO scratch (k, u, n) VALUES ('c', '丙', NULL)`, false},
			{"no such table", `INSERT INTO no_such_table (k) VALUES ('d')`, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := w.ExecContext(t.Context(), tt.insert)
				if err == nil {
					t.Fatal("insert succeeded, want an error")
				}
				if got := sqldb.IsUniqueViolation(err); got != tt.want {
					t.Errorf("IsUniqueViolation(%v) = %v, want %v", err, got, tt.want)
				}
				// Through a wrapping, as domain code returns it.
				wrapped := errors.Join(errors.New("insert scratch"), err)
				if got := sqldb.IsUniqueViolation(wrapped); got != tt.want {
					t.Errorf("IsUniqueViolation(wrapped) = %v, want %v", got, tt.want)
				}
			})
		}
		if sqldb.IsUniqueViolation(nil) || sqldb.IsUniqueViolation(sql.ErrNoRows) {
			t.Error("IsUniqueViolation is true for nil or sql.ErrNoRows")
		}
	})
}

// TestIsUniqueViolationOf tells which key a unique violation is of: an id
// that collides (a sequence behind the rows) is not a duplicate of the
// other key.
func TestIsUniqueViolationOf(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := db.Write()
		if _, err := w.ExecContext(t.Context(), `CREATE TABLE pair (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL,
			c TEXT UNIQUE, UNIQUE (a, b))`); err != nil {
			t.Fatal(err)
		}
		if _, err := w.ExecContext(t.Context(), `INSERT INTO pair (id, a, b, c) VALUES (1, '甲', '乙', '丙')`); err != nil {
			t.Fatal(err)
		}
		id, ab, c := sqldb.PrimaryKey("pair", "id"), sqldb.Unique("pair", "a", "b"), sqldb.Unique("pair", "c")
		sqldbtest.CheckKeys(t, db, id, ab, c)
		tests := []struct {
			name   string
			insert string
			want   sqldb.Key
		}{
			{"id", `INSERT INTO pair (id, a, b) VALUES (1, '甲', '丁')`, id},
			{"a and b", `INSERT INTO pair (id, a, b) VALUES (2, '甲', '乙')`, ab},
			{"c", `INSERT INTO pair (id, a, b, c) VALUES (2, '甲', '丁', '丙')`, c},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := w.ExecContext(t.Context(), tt.insert)
				if err == nil {
					t.Fatal("insert succeeded, want an error")
				}
				for _, k := range []sqldb.Key{id, ab, c, sqldb.Unique("pair", "b", "a"), sqldb.Unique("other", "c")} {
					want := slices.Equal(k.Columns, tt.want.Columns) && k.Table == tt.want.Table
					if got := sqldb.IsUniqueViolationOf(fmt.Errorf("insert pair: %w", err), k); got != want {
						t.Errorf("IsUniqueViolationOf(%v, %+v) = %v, want %v", err, k, got, want)
					}
				}
			})
		}
		if _, err := w.ExecContext(t.Context(), `INSERT INTO pair (id, a) VALUES (3, '甲')`); err == nil || sqldb.IsUniqueViolationOf(err, id) {
			t.Errorf("a not-null violation (%v) taken for a unique one", err)
		}
	})
}

func TestTxRollback(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		scratch(t, db)
		errFail := errors.New("fail")
		tests := []struct {
			name    string
			k       string
			after   func() error // runs in the tx after the insert
			wantErr error
			panics  bool
			want    int // rows with key k afterwards
		}{
			{name: "commit", k: "ok", after: func() error { return nil }, want: 1},
			{name: "error", k: "err", after: func() error { return errFail }, wantErr: errFail},
			{name: "panic", k: "panic", after: func() error { panic("boom") }, panics: true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var err error
				var recovered any
				func() {
					defer func() { recovered = recover() }()
					err = db.Tx(t.Context(), func(tx *sqldb.Tx) error {
						if tx.Dialect != db.Dialect {
							t.Errorf("tx.Dialect = %v, want %v", tx.Dialect, db.Dialect)
						}
						if _, err := tx.ExecContext(t.Context(), `INSERT INTO scratch (k) VALUES ($1)`, tt.k); err != nil {
							return err
						}
						if n := count(t, tx, tt.k); n != 1 {
							t.Errorf("inside the tx: got %d rows, want 1", n)
						}
						return tt.after()
					})
				}()
				if (recovered != nil) != tt.panics {
					t.Errorf("recovered %v, want panic %v", recovered, tt.panics)
				}
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Tx error = %v, want %v", err, tt.wantErr)
				}
				if n := count(t, db.Read(), tt.k); n != tt.want {
					t.Errorf("after the tx: got %d rows, want %d", n, tt.want)
				}
			})
		}
		// The writer is usable after the rollbacks (SQLite has one
		// connection: a leaked tx would block it).
		err := db.Tx(t.Context(), func(tx *sqldb.Tx) error {
			_, err := tx.ExecContext(t.Context(), `INSERT INTO scratch (k) VALUES ('after')`)
			return err
		})
		if err != nil {
			t.Fatalf("Tx after rollbacks: %v", err)
		}
	})
}

// Readers see what the writer committed, and not what it has yet to commit.
// On SQLite the readers are a separate, read-only pool over the same file.
func TestReaderSeesCommitted(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		scratch(t, db)
		ctx := t.Context()
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO scratch (k, n) VALUES ('k', '北京市')`); err != nil {
				return err
			}
			if n := count(t, db.Read(), "k"); n != 0 {
				t.Errorf("reader during the tx: got %d rows, want 0", n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if err := db.Read().QueryRowContext(ctx, `SELECT n FROM scratch WHERE k = $1`, "k").Scan(&got); err != nil {
			t.Fatalf("reader after commit: %v", err)
		}
		if got != "北京市" {
			t.Errorf("reader after commit: got %q, want %q", got, "北京市")
		}
		if db.Dialect == sqldb.SQLite {
			if _, err := db.Read().ExecContext(ctx, `INSERT INTO scratch (k) VALUES ('r')`); err == nil {
				t.Error("insert through the SQLite reader pool succeeded, want a read-only error")
			}
		}
	})
}

// Pending lists every migration on a database without the version table, and
// reports a failed read as an error rather than as a database to migrate
// (a refused or cancelled read once listed every migration as pending).
func TestPending(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if pending, err := db.Pending(cancelled); err == nil {
			t.Errorf("Pending with a cancelled context = %d names, nil error; want an error", len(pending))
		}
		all, err := sqldb.Migrations(db.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(ctx, `DROP TABLE schema_migrations`); err != nil {
			t.Fatal(err)
		}
		pending, err := db.Pending(ctx)
		if err != nil {
			t.Fatalf("Pending without the version table: %v", err)
		}
		if diff := cmp.Diff(all, pending); diff != "" {
			t.Errorf("Pending without the version table (-want +got):\n%s", diff)
		}
	})
}

// A second Open of the same database (another process, such as a CLI command
// next to the server) sees what the first committed.
func TestSecondOpenSeesCommitted(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		a, err := sqldb.Open(ctx, dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if pending, err := a.Pending(ctx); err != nil || len(pending) != 0 {
			t.Fatalf("Pending = %q, %v; want a migrated database", pending, err)
		}
		scratch(t, a)
		if _, err := a.Write().ExecContext(ctx, `INSERT INTO scratch (k) VALUES ('x')`); err != nil {
			t.Fatal(err)
		}
		b, err := sqldb.Open(ctx, dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if n := count(t, b.Read(), "x"); n != 1 {
			t.Errorf("second Open: got %d rows, want 1", n)
		}
	})
}

// TestAnalyze fills a table with a skewed indexed column and analyses it:
// the planner has row estimates (PostgreSQL's reltuples, SQLite's
// sqlite_stat1), and SQLite keeps no value samples (sqlite_stat4), which
// would make every cached statement on the column re-prepare.
func TestAnalyze(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		fill(t, db)
		if err := db.Analyze(ctx, "analyzed"); err != nil {
			t.Fatal(err)
		}
		if db.Dialect == sqldb.Postgres {
			var tuples float64
			if err := db.Read().QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE relname = 'analyzed'`).Scan(&tuples); err != nil {
				t.Fatal(err)
			}
			if tuples != 1000 {
				t.Errorf("reltuples = %v after Analyze, want 1000", tuples)
			}
			return
		}
		var stat1, stat4 int
		if err := db.Read().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'analyzed'),
			(SELECT count(*) FROM sqlite_stat4)`).Scan(&stat1, &stat4); err != nil {
			t.Fatal(err)
		}
		if stat1 == 0 || stat4 != 0 {
			t.Errorf("after Analyze: %d sqlite_stat1 rows, %d sqlite_stat4 rows; want some and none", stat1, stat4)
		}
		if err := db.Analyze(ctx); err != nil { // every table
			t.Fatal(err)
		}
	})
}

// fill creates the table "analyzed": 1,000 rows whose indexed column g is
// 0 for 900 of them and distinct for the rest.
func fill(t testing.TB, db *sqldb.DB) {
	t.Helper()
	ctx := context.Background()
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE analyzed (id INTEGER PRIMARY KEY, g INTEGER NOT NULL, v TEXT NOT NULL)`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `CREATE INDEX analyzed_g ON analyzed (g)`); err != nil {
			return err
		}
		for i := range 1000 {
			g := 0
			if i >= 900 {
				g = i
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO analyzed (id, g, v) VALUES ($1, $2, $3)`, i, g, "v"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkAnalyzedRead reads by the skewed column through the reader's
// statement cache after a plain ANALYZE (value samples kept: SQLite
// prepares the statement again at each run with a new value) and after
// Analyze.
func BenchmarkAnalyzedRead(b *testing.B) {
	for _, c := range []struct {
		name    string
		analyze func(db *sqldb.DB) error
	}{
		{"ANALYZE", func(db *sqldb.DB) error {
			_, err := db.Write().ExecContext(context.Background(), "ANALYZE")
			return err
		}},
		{"Analyze", func(db *sqldb.DB) error { return db.Analyze(context.Background()) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			db := sqldbtest.SQLite(b)
			fill(b, db)
			if err := c.analyze(db); err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			i := 0
			for b.Loop() {
				var n int
				if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM analyzed WHERE g = $1`, 900+i%100).Scan(&n); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// TestOnCommit runs a transaction's OnCommit functions after it commits,
// once each and with its rows visible to readers; a rolled-back
// transaction runs none.
func TestOnCommit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		scratch(t, db)
		ctx := t.Context()
		var ran []int
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO scratch (k) VALUES ('oncommit')`); err != nil {
				return err
			}
			for i := range 2 {
				tx.OnCommit(func() { ran = append(ran, i+10*count(t, db.Read(), "oncommit")) })
			}
			if len(ran) != 0 {
				t.Error("OnCommit ran before the commit")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int{10, 11}, ran); diff != "" {
			t.Errorf("after commit (-want +got, 10 = ran with the row visible):\n%s", diff)
		}
		ran = nil
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			tx.OnCommit(func() { ran = append(ran, 1) })
			return errors.New("roll back")
		})
		if err == nil || ran != nil {
			t.Errorf("rolled back: err %v, ran %v; want an error and nothing run", err, ran)
		}
	})
}

// IsUnavailable tells a database that cannot serve from a statement that is
// wrong or a request that ended: errors of bad SQL, of a constraint, of a
// cancelled or late request are not unavailability.
func TestIsUnavailableNotForStatementErrors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		scratch(t, db)
		if _, err := db.Write().ExecContext(ctx, `INSERT INTO scratch (k) VALUES ('u')`); err != nil {
			t.Fatal(err)
		}
		_, dup := db.Write().ExecContext(ctx, `INSERT INTO scratch (k) VALUES ('u')`)
		_, syntax := db.Read().ExecContext(ctx, `SELEC 1`)
		_, missing := db.Read().ExecContext(ctx, `SELECT * FROM no_such_table`)
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		_, interrupted := db.Read().ExecContext(cancelled, `SELECT 1`)
		for name, err := range map[string]error{"unique violation": dup, "syntax error": syntax, "missing table": missing,
			"cancelled request": interrupted, "request deadline": context.DeadlineExceeded,
			"cut-off request body": fmt.Errorf("read body: %w", io.ErrUnexpectedEOF)} {
			if err == nil {
				t.Fatalf("%s: no error", name)
			}
			if sqldb.IsUnavailable(err) || sqldb.Unavailable(err) != nil {
				t.Errorf("%s (%v) taken for an unavailable database", name, err)
			}
		}
	})
}

// TestIsUnavailableServerNotAnswering: a PostgreSQL server that accepts
// connections but does not answer within connect_timeout (overloaded, hung,
// or the network dropping its replies) is an unavailable database, though
// pgx reports the timeout as a context deadline inside its connect error.
func TestIsUnavailableServerNotAnswering(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c) // never answered
		}
	}()
	dsn := "postgres://hutong@" + ln.Addr().String() + "/hutong?sslmode=disable&connect_timeout=1"
	_, err = sqldb.Open(t.Context(), dsn, sqldb.Options{})
	if err == nil {
		t.Fatal("open: no error")
	}
	if !sqldb.IsUnavailable(err) || sqldb.Unavailable(err) == nil {
		t.Errorf("%v: not taken for an unavailable database", err)
	}
}

// TestUnavailableBusy: a transaction PostgreSQL aborted for a deadlock or
// a serialization failure, which its caller's retries did not outlast,
// is answered 503 database_busy: sent again, it succeeds.
func TestUnavailableBusy(t *testing.T) {
	for _, code := range []string{"40001", "40P01"} {
		err := fmt.Errorf("insert batch: %w", &pgconn.PgError{Code: code})
		u := sqldb.Unavailable(err)
		if u == nil || u.Kind != errs.Unavailable || u.Code != "database_busy" {
			t.Errorf("%s: %+v; want an Unavailable database_busy", code, u)
		}
	}
}
