// Package sqldbtest gives tests a fresh, migrated Hutong database on either
// engine: a SQLite file under t.TempDir(), or a database on a throwaway
// PostgreSQL server that the test binary starts on first use and stops when
// it exits.
//
// A package whose tests use PostgreSQL (through Postgres, PostgresDSN, Each
// or DSNs) must run them through Main:
//
//	func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }
//
// Each test binary gets its own server on a free loopback port. The server
// runs with fsync off from a temporary directory, on /dev/shm when that is a
// tmpfs with room (file creation on a busy disk made each CREATE DATABASE
// twenty times slower). A template database is migrated once and every test
// gets a copy (CREATE DATABASE … TEMPLATE), dropped when the test ends;
// a SQLite file, likewise, is a copy of one migrated once (sqliteFile).
// When the tests run as root, the server runs as the postgres user, since
// PostgreSQL refuses to run as root.
//
// Without PostgreSQL binaries the PostgreSQL tests are skipped, unless the
// environment sets HUTONG_REQUIRE_PG=1 (as CI does), which makes them fail.
// HUTONG_PG_BIN names the directory holding initdb and postgres when they
// are not in the usual places.
package sqldbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Main runs the tests of a package and then stops and removes the PostgreSQL
// server, if a test started one. Use it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }
func Main(m *testing.M) int {
	mainUsed.Store(true)

	// On ^C or SIGTERM, stop the server before dying of the signal. (The
	// server has its own process group, so the ^C does not reach it.) A
	// signal ignored from the start, as ^C is in a background job, stays so.
	sigs := make(chan os.Signal, 1)
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		if !signal.Ignored(sig) {
			signal.Notify(sigs, sig)
		}
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case sig := <-sigs:
			stopServer()
			signal.Reset(sig)
			raise(sig)
		case <-done:
		}
	}()

	code := m.Run()
	signal.Stop(sigs)
	if err := stopServer(); err != nil {
		fmt.Fprintf(os.Stderr, "sqldbtest: stop PostgreSQL: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// SQLite returns a migrated SQLite database in a file under t.TempDir(),
// closed when the test ends.
func SQLite(t testing.TB) *sqldb.DB {
	t.Helper()
	return openDB(t, sqliteFile(t))
}

// openDB opens the database dsn names (a SQLite file's path or a
// postgres:// DSN), closed when the test ends.
func openDB(t testing.TB, dsn string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), dsn, sqldb.Options{})
	if err != nil {
		t.Fatalf("sqldbtest: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("sqldbtest: close %s: %v", dsn, err)
		}
	})
	return db
}

// sqliteFile writes a migrated SQLite file under t.TempDir() and returns
// its path; nothing holds it open. The file is a copy of one migrated once
// per test binary (sqliteTemplate), as PostgreSQL's databases are copies
// of a template database: migrating a file for each test took about 0.1 s
// of CPU, and a package's tests make hundreds.
func sqliteFile(t testing.TB) string {
	t.Helper()
	sqliteTemplate.once.Do(func() {
		sqliteTemplate.file, sqliteTemplate.mode, sqliteTemplate.err = migratedSQLite(nil)
	})
	return sqliteCopy(t, &sqliteTemplate)
}

// sqliteImage is the content and mode of a SQLite file that
// migratedSQLite made, for sqliteCopy to copy.
type sqliteImage struct {
	once sync.Once
	file []byte
	mode os.FileMode
	err  error
}

// sqliteTemplate is the image of a migrated SQLite database.
var sqliteTemplate sqliteImage

// sqliteCopy writes img under t.TempDir() and returns the file's path.
func sqliteCopy(t testing.TB, img *sqliteImage) string {
	t.Helper()
	if img.err != nil {
		t.Fatalf("sqldbtest: %v", img.err)
	}
	path := filepath.Join(t.TempDir(), "hutong.db")
	if err := os.WriteFile(path, img.file, img.mode); err != nil {
		t.Fatalf("sqldbtest: %v", err)
	}
	return path
}

// migratedSQLite creates and migrates a SQLite file in a temporary
// directory, which it removes, has fill (unless nil) fill it, and returns
// the file's content and mode. Closing the database's last connection
// checkpoints its write-ahead log into the file and removes the log, so
// that the file holds the whole database; it fails if anything else is
// left beside the file.
func migratedSQLite(fill func(context.Context, *sqldb.DB) error) ([]byte, os.FileMode, error) {
	dir, err := os.MkdirTemp("", "sqldbtest-")
	if err != nil {
		return nil, 0, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "hutong.db")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := sqldb.Open(ctx, path, sqldb.Options{})
	if err != nil {
		return nil, 0, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return nil, 0, fmt.Errorf("migrate %s: %w", path, err)
	}
	if fill != nil {
		if err := fill(context.Background(), db); err != nil {
			return nil, 0, fmt.Errorf("fill %s: %w", path, err)
		}
	}
	if err := db.Close(); err != nil {
		return nil, 0, fmt.Errorf("close %s: %w", path, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, 0, err
	}
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return nil, 0, fmt.Errorf("migrated SQLite database: %s left in its directory, want hutong.db alone", strings.Join(names, ", "))
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	file, err := os.ReadFile(path)
	return file, fi.Mode().Perm(), err
}

// Postgres returns a fresh, migrated PostgreSQL database, closed and dropped
// when the test ends. The first call in a test binary starts the server.
// It skips the test when no PostgreSQL binaries are installed, unless
// HUTONG_REQUIRE_PG=1.
func Postgres(t testing.TB) *sqldb.DB {
	t.Helper()
	// openDB's cleanup is registered after PostgresDSN's, so it runs
	// before the drop.
	return openDB(t, PostgresDSN(t))
}

// PostgresDSN is Postgres for tests that open the database themselves, such
// as those that start the whole server: it returns the postgres:// DSN of a
// fresh, migrated database, which is dropped when the test ends (along with
// any connections still open to it).
func PostgresDSN(t testing.TB) string {
	t.Helper()
	s := server(t)
	name, err := s.createDB()
	if err != nil {
		t.Fatalf("sqldbtest: %v", err)
	}
	t.Cleanup(func() {
		if err := s.dropDB(name); err != nil {
			t.Errorf("sqldbtest: %v", err)
		}
	})
	return s.dsn(name)
}

// Each runs fn against a fresh, migrated database of each engine, as the
// subtests "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// DSNs is Each for tests that open the database themselves: fn gets the path
// of a fresh, migrated SQLite file, then the DSN of a fresh, migrated
// PostgreSQL database, as the subtests "sqlite" and "postgres".
func DSNs(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, sqliteFile(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresDSN(t)) })
}

// Unavailable makes db refuse service, as a database that is down or locked
// would, until the returned function undoes it: on SQLite another connection
// holds the write lock past the writer's busy timeout (shortened meanwhile),
// on PostgreSQL the database stops accepting connections and its open ones
// are closed.
func Unavailable(t *testing.T, db *sqldb.DB) func() {
	t.Helper()
	ctx := context.Background()
	if db.Dialect == sqldb.SQLite {
		setBusyTimeout := func(ms string) {
			t.Helper()
			if _, err := db.Write().ExecContext(ctx, `PRAGMA busy_timeout = `+ms); err != nil {
				t.Fatal(err)
			}
		}
		setBusyTimeout("100")
		other, err := sql.Open("sqlite", db.Source)
		if err != nil {
			t.Fatal(err)
		}
		conn, err := other.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
			t.Fatal(err)
		}
		return func() {
			if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
				t.Fatal(err)
			}
			conn.Close()
			other.Close()
			setBusyTimeout("10000")
		}
	}
	u, err := url.Parse(db.Source)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	u.Path = "/postgres"
	admin, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	exec := func(q string) {
		t.Helper()
		if _, err := admin.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	exec(`ALTER DATABASE "` + name + `" ALLOW_CONNECTIONS false`)
	exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '` + name + `'`)
	return func() { exec(`ALTER DATABASE "` + name + `" ALLOW_CONNECTIONS true`) }
}

// HoldAuditHead keeps the audit log's head from being taken until the
// returned function is called (or the test ends): on PostgreSQL another
// session holds the audit_head row, as a transaction appending its rows
// does while it commits (and until 2026-12-05 from its first row, a long
// import for its whole length); on SQLite a transaction of this process
// holds the one writer, as a long import does. Calling release more than
// once is harmless.
func HoldAuditHead(t *testing.T, db *sqldb.DB) (release func()) {
	t.Helper()
	ctx := context.Background()
	held, done := make(chan struct{}), make(chan struct{})
	var holder sync.WaitGroup
	holder.Go(func() {
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			lock := `SELECT 1`
			if db.Dialect == sqldb.Postgres {
				lock = `SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE`
			}
			if _, err := tx.ExecContext(ctx, lock); err != nil {
				return err
			}
			close(held)
			<-done
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	})
	<-held
	var once sync.Once
	release = func() {
		once.Do(func() {
			close(done)
			holder.Wait()
		})
	}
	t.Cleanup(release)
	return release
}

// BlockAudit makes every insert into the audit log fail, as a full disk or
// a read-only database would, until the returned function undoes it.
func BlockAudit(t *testing.T, db *sqldb.DB) (unblock func()) {
	t.Helper()
	ctx := context.Background()
	block, undo := `CREATE TRIGGER audit_block BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
		`DROP TRIGGER audit_block`
	if db.Dialect == sqldb.Postgres {
		block = `CREATE FUNCTION audit_block() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
			CREATE TRIGGER audit_block BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_block()`
		undo = `DROP TRIGGER audit_block ON audit_log; DROP FUNCTION audit_block()`
	}
	if _, err := db.Write().ExecContext(ctx, block); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := db.Write().ExecContext(ctx, undo); err != nil {
			t.Fatal(err)
		}
	}
}
