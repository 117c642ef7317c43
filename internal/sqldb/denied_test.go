package sqldb_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

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
		"这些表属于其他角色，多因恢复时以 postgres 等其他角色还原。恢复时请以数据库所有者身份还原：在新建的空数据库中以超级用户执行 " +
		"pg_restore --no-owner --role=" + role + " --exit-on-error -d <新数据库> <备份文件>；或由超级用户将模式 public 中的表、序列和函数的所有权交给 " +
		role + "（ALTER TABLE … OWNER TO " + role + "，逐一执行的语句见 docs/backup.md）"
	if _, err := db.Pending(t.Context()); err == nil || err.Error() != want {
		t.Errorf("Pending:\n got %v\nwant %s", err, want)
	}
	if _, err := db.Migrate(t.Context()); err == nil || err.Error() != want {
		t.Errorf("Migrate:\n got %v\nwant %s", err, want)
	}
	// The statements of docs/backup.md give the objects to the role,
	// which then reads and migrates the database.
	exec(strings.ReplaceAll(giveToRole, "hutong", role))
	if pending, err := db.Pending(t.Context()); err != nil || len(pending) != 0 {
		t.Errorf("Pending after the objects were given to the role: %q, %v", pending, err)
	}
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Errorf("Migrate after the objects were given to the role: %v", err)
	}
	var foreign int
	if err := admin.QueryRowContext(t.Context(), `SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
		AND pg_get_userbyid(c.relowner) <> $1`, role).Scan(&foreign); err != nil || foreign != 0 {
		t.Errorf("%d objects of public not the role's, %v", foreign, err)
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

// giveToRole is the statement docs/backup.md gives, run by a superuser in
// the restored database, to give the role hutong what another role
// restored: the tables, views and sequences of the schema public (the
// sequences of identity columns go with their tables) and its functions.
const giveToRole = `DO $$
DECLARE r record;
BEGIN
	FOR r IN SELECT c.oid::regclass AS name FROM pg_class c
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
		AND pg_get_userbyid(c.relowner) <> 'hutong'
		AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
			AND d.deptype IN ('a', 'i'))
	LOOP
		EXECUTE format('ALTER TABLE %s OWNER TO hutong', r.name);
	END LOOP;
	FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p
		WHERE p.pronamespace = 'public'::regnamespace AND pg_get_userbyid(p.proowner) <> 'hutong'
	LOOP
		EXECUTE format('ALTER ROUTINE %s OWNER TO hutong', r.name);
	END LOOP;
END $$;`

// TestPermissionDeniedNewInstall: a first install into a database the
// role does not own, on PostgreSQL 15 and later, where only the owner may
// create in the schema public, is said in one Chinese line with the
// command that lets the role create its tables, not with a remedy for
// restores only; after that command the role migrates the database.
func TestPermissionDeniedNewInstall(t *testing.T) {
	dsn := sqldbtest.PostgresDSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var version int
	if err := admin.QueryRowContext(t.Context(), `SELECT current_setting('server_version_num')::int`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version < 150000 {
		t.Skip("before PostgreSQL 15 every role may create in the schema public")
	}
	name := fmt.Sprintf("fresh_%d", time.Now().UnixNano())
	role := "role_" + name
	exec := func(q string) {
		t.Helper()
		if _, err := admin.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	exec(`CREATE DATABASE ` + name + ` TEMPLATE template0 ENCODING 'UTF8'`)
	exec(`CREATE ROLE ` + role + ` LOGIN`)
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", dsn)
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
	u.User = url.User(role)
	u.Path = "/" + name
	db, err := sqldb.Open(t.Context(), u.String(), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := "无法访问数据库 " + u.String() + "：数据库用户无权访问模式 public：新安装时请由超级用户执行 ALTER DATABASE " + name +
		" OWNER TO " + role + ";（PostgreSQL 15 起模式 public 归数据库所有者）或 GRANT CREATE ON SCHEMA public TO " + role +
		";（见 docs/postgresql.md）；恢复时请以数据库所有者身份还原（见 docs/backup.md）"
	if _, err := db.Migrate(t.Context()); err == nil || err.Error() != want {
		t.Fatalf("Migrate:\n got %v\nwant %s", err, want)
	}
	exec(`ALTER DATABASE ` + name + ` OWNER TO ` + role)
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Errorf("Migrate after ALTER DATABASE … OWNER TO the role: %v", err)
	}
}

// TestAccessErrorWords: the objects a permission denied names are said
// by their kind, the other refusals (must be owner of …) with the
// server's message; other errors are left as they are.
func TestAccessErrorWords(t *testing.T) {
	db := &sqldb.DB{Dialect: sqldb.Postgres, Source: "postgres://hutong@db.example/hutong"}
	restored := "：这些表属于其他角色，多因恢复时以 postgres 等其他角色还原。恢复时请以数据库所有者身份还原：在新建的空数据库中以超级用户执行 " +
		"pg_restore --no-owner --role=<角色> --exit-on-error -d <新数据库> <备份文件>；或由超级用户将模式 public 中的表、序列和函数的所有权交给 " +
		"<角色>（ALTER TABLE … OWNER TO <角色>，逐一执行的语句见 docs/backup.md）"
	fresh := "：新安装时请由超级用户执行 ALTER DATABASE <数据库> OWNER TO <角色>;（PostgreSQL 15 起模式 public 归数据库所有者）" +
		"或 GRANT CREATE ON SCHEMA public TO <角色>;（见 docs/postgresql.md）；恢复时请以数据库所有者身份还原（见 docs/backup.md）"
	for msg, want := range map[string]string{
		"permission denied for table records":        "数据库用户无权访问表 records" + restored,
		"permission denied for sequence apps_id_seq": "数据库用户无权访问序列 apps_id_seq" + restored,
		"permission denied for schema public":        "数据库用户无权访问模式 public" + fresh,
		"must be owner of table records":             "数据库用户无权访问（must be owner of table records）" + restored,
	} {
		err := sqldb.AccessError(db, fmt.Errorf("sqldb: migration 0029_x.sql: %w", &pgconn.PgError{Code: "42501", Message: msg}))
		if want = "无法访问数据库 postgres://hutong@db.example/hutong：" + want; err.Error() != want {
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
