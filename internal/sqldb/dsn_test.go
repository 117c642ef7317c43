package sqldb_test

import (
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestKeywordDSN: a libpq keyword DSN (host=… user=… dbname=…), which pgx
// reads, names a PostgreSQL server, not a SQLite file of that name, and
// its password is masked wherever the DSN is shown, as a URL's is.
func TestKeywordDSN(t *testing.T) {
	for dsn, want := range map[string]bool{
		"host=127.0.0.1 port=5432 user=hutong password=secretpw dbname=hutong": true,
		"  dbname=hutong host=/run/postgresql":                                 true,
		"user = hutong host=db.example":                                        true,
		"hutong.db":                                                            false,
		"/var/lib/hutong/a=b.db":                                               false,
		"data/host=x.db":                                                       false,
	} {
		if got := sqldb.IsPostgresDSN(dsn); got != want {
			t.Errorf("IsPostgresDSN(%q) = %v, want %v", dsn, got, want)
		}
	}
	for dsn, want := range map[string]string{
		"host=127.0.0.1 port=5432 user=hutong password=secretpw dbname=hutong": "host=127.0.0.1 port=5432 user=hutong password=xxxxx dbname=hutong",
		"password='se cret \\' pw' host=db.example":                            "password=xxxxx host=db.example",
		"host=db.example PASSWORD = secretpw":                                  "host=db.example PASSWORD = xxxxx",
	} {
		if got := sqldb.Redact(dsn); got != want {
			t.Errorf("Redact(%q) = %q, want %q", dsn, got, want)
		}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens there now
	dsn := fmt.Sprintf("host=127.0.0.1 port=%d user=hutong password=secretpw dbname=hutong connect_timeout=5", port)
	_, err = sqldb.Open(t.Context(), dsn, sqldb.Options{})
	if err == nil || strings.Contains(err.Error(), "secretpw") || !strings.Contains(err.Error(), "password=xxxxx") {
		t.Errorf("Open(%q) on a closed port: got %v, want an error naming the DSN without its password", dsn, err)
	}

	cfg, err := pgconn.ParseConfig(sqldbtest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	dsn = fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable", cfg.Host, cfg.Port, cfg.User, cfg.Database)
	db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
	if err != nil {
		t.Fatalf("Open(%q): %v", dsn, err)
	}
	defer db.Close()
	if db.Dialect != sqldb.Postgres || db.Source != dsn {
		t.Errorf("Open(%q): %s, source %q; want postgres, the DSN", dsn, db.Dialect, db.Source)
	}
	if pending, err := db.Pending(t.Context()); err != nil || len(pending) != 0 {
		t.Errorf("Pending: %v, %v; want the migrated test database", pending, err)
	}
}
