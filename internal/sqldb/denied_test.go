package sqldb_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPermissionDenied: a PostgreSQL database whose tables belong to
// another role than the one the servers log in as (restored as postgres
// into a database owned by hutong) is said in one Chinese line naming the
// table and the remedy, by the migration status, Migrate and so serve,
// instead of "sqldb: applied migrations: ERROR: permission denied for
// table schema_migrations (SQLSTATE 42501)"; a role refused the database
// itself is told so when it opens it.
func TestPermissionDenied(t *testing.T) {
	dsn := sqldbtest.PostgresDSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	role := "owner_" + name
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	exec := func(q string) {
		t.Helper()
		if _, err := admin.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	exec(`CREATE ROLE ` + role + ` LOGIN`)
	server := *u
	server.Path = "/postgres"
	t.Cleanup(func() { // the role's database, then the role; PostgresDSN's drop finds it gone
		admin, err := sql.Open("pgx", server.String())
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
			t.Error(err)
		}
		if _, err := admin.ExecContext(context.Background(), `DROP ROLE `+role); err != nil {
			t.Error(err)
		}
	})
	exec(`ALTER DATABASE ` + name + ` OWNER TO ` + role)
	u.User = url.User(role)
	db, err := sqldb.Open(t.Context(), u.String(), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := "无法访问数据库 " + u.String() + "：数据库用户无权访问表 schema_migrations：" +
		"恢复时请以数据库所有者身份还原，或将表的所有权交给该用户（见 docs/backup.md）"
	if _, err := db.Pending(t.Context()); err == nil || err.Error() != want {
		t.Errorf("Pending:\n got %v\nwant %s", err, want)
	}
	if _, err := db.Migrate(t.Context()); err == nil || err.Error() != want {
		t.Errorf("Migrate:\n got %v\nwant %s", err, want)
	}
	db.Close()

	exec(`REVOKE CONNECT ON DATABASE ` + name + ` FROM PUBLIC, ` + role)
	want = "无法连接数据库 " + u.String() + "：数据库用户无权连接该数据库（permission denied for database \"" + name + "\"）"
	if db, err := sqldb.Open(t.Context(), u.String(), sqldb.Options{}); err == nil || err.Error() != want {
		if err == nil {
			db.Close()
		}
		t.Errorf("Open:\n got %v\nwant %s", err, want)
	}
}

// TestAccessErrorWords: the objects a permission denied names are said
// by their kind, the other refusals (must be owner of …) with the
// server's message; other errors are left as they are.
func TestAccessErrorWords(t *testing.T) {
	db := &sqldb.DB{Dialect: sqldb.Postgres, Source: "postgres://hutong@db.example/hutong"}
	remedy := "：恢复时请以数据库所有者身份还原，或将表的所有权交给该用户（见 docs/backup.md）"
	for msg, want := range map[string]string{
		"permission denied for table records":        "数据库用户无权访问表 records",
		"permission denied for sequence apps_id_seq": "数据库用户无权访问序列 apps_id_seq",
		"permission denied for schema public":        "数据库用户无权访问模式 public",
		"must be owner of table records":             "数据库用户无权访问（must be owner of table records）",
	} {
		err := sqldb.AccessError(db, fmt.Errorf("sqldb: migration 0029_x.sql: %w", &pgconn.PgError{Code: "42501", Message: msg}))
		if want = "无法访问数据库 postgres://hutong@db.example/hutong：" + want + remedy; err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", msg, err, want)
		}
		var pg *pgconn.PgError
		if !errors.As(err, &pg) {
			t.Errorf("%s: the error does not unwrap to the server's", msg)
		}
	}
	other := fmt.Errorf("sqldb: applied migrations: %w", &pgconn.PgError{Code: "42P01", Message: "relation does not exist"})
	if err := sqldb.AccessError(db, other); err != other {
		t.Errorf("another error became %v", err)
	}
}
