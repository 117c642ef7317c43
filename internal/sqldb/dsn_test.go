package sqldb_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
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

// TestOpenErrors: a database that cannot be opened is said in one Chinese
// line naming it (its password masked) and why, in the words of the
// common cases, the driver's cause after it where it helps, instead of
// "sqldb: connect to …: failed to connect to … FATAL: … (SQLSTATE 3D000)"
// or "unable to open database file (14)".
func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("这不是数据库。\n", 400)), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	cases := map[string]string{
		notDB:               "无法打开数据库 " + notDB + "：不是数据库文件",
		"/nonexistent/x.db": "无法打开数据库 /nonexistent/x.db：目录 /nonexistent 不存在",
		"postgres://hutong:secretpw@" + closed + "/hutong?connect_timeout=5": "无法连接数据库 postgres://hutong:xxxxx@" + closed +
			"/hutong?connect_timeout=5：无法连接到数据库服务器（dial tcp " + closed + ": connect: connection refused）",
		"postgres://hutong:secretpw@db.example:99999/hutong": "无法连接数据库 postgres://hutong:xxxxx@db.example:99999/hutong：数据库地址无效（invalid port）",
		"host=db.example port=abc password='secret pw'":      "无法连接数据库 host=db.example port=abc password=xxxxx：数据库地址无效（invalid port）",
	}
	check := func(t *testing.T, cases map[string]string) {
		for dsn, want := range cases {
			db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
			if err == nil {
				db.Close()
			}
			if err == nil || err.Error() != want {
				t.Errorf("Open(%q):\n got %v\nwant %s", dsn, err, want)
			}
		}
	}
	check(t, cases)
	t.Run("postgres", func(t *testing.T) {
		cfg, err := pgconn.ParseConfig(sqldbtest.PostgresDSN(t))
		if err != nil {
			t.Fatal(err)
		}
		server := fmt.Sprintf("%s:%d", cfg.Host, cfg.Port)
		check(t, map[string]string{
			"postgres://" + cfg.User + ":secretpw@" + server + "/nodb?sslmode=disable": "无法连接数据库 postgres://" + cfg.User + ":xxxxx@" + server +
				`/nodb?sslmode=disable：数据库不存在（database "nodb" does not exist）`,
			"postgres://nobody:secretpw@" + server + "/hutong?sslmode=disable": "无法连接数据库 postgres://nobody:xxxxx@" + server +
				`/hutong?sslmode=disable：角色不存在或密码错误（role "nobody" does not exist）`,
			"postgres://" + cfg.User + "@" + server + "/hutong?sslmode=require": "无法连接数据库 postgres://" + cfg.User + "@" + server +
				"/hutong?sslmode=require：数据库服务器不支持 TLS 连接：请检查 sslmode",
			"postgres://" + cfg.User + "@" + server + "/hutong?sslmode=verify-full": "无法连接数据库 postgres://" + cfg.User + "@" + server +
				"/hutong?sslmode=verify-full：数据库服务器不支持 TLS 连接：请检查 sslmode",
		})
	})
}
