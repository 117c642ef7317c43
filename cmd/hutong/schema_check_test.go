package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// schemaCommands are commands that read or write the domain tables, with
// arguments they would run with on a current database.
func schemaCommands(dir string) [][]string {
	ops := filepath.Join(dir, "ops.jsonl")
	if err := os.WriteFile(ops, []byte(`{"op":"add","key":"k1","fields":{}}`+"\n"), 0o600); err != nil {
		panic(err)
	}
	return [][]string{
		{"user", "create", "-username", "nh.clerk", "-name", "李明", "-department", "1", "-role", "operator"},
		{"user", "list"},
		{"app", "create", "-name", "运维", "-department", "1", "-scopes", "admin"},
		{"app", "list"},
		{"org", "department-create", "-name", "南海区档案馆", "-uscc", demo.USCC("440000", 2), "-region", "440000"},
		{"org", "list"},
		{"audit", "list"},
		{"audit", "verify"},
		{"export", "catalog", "-o", filepath.Join(dir, "catalog.csv")},
		{"import", "records", "-entry", "1", "-file", ops},
		{"records", "batches"},
		{"records", "stale"},
	}
}

// schemaSetup builds a platform with a region and a department in a fresh
// database of dsn's engine, and returns it open and the variables the
// commands run with.
func schemaSetup(t *testing.T, dsn string) (*sqldb.DB, map[string]string) {
	t.Helper()
	vars := map[string]string{"HUTONG_DB": dsn, "HUTONG_PASSWORD": "Correct-Horse-9", "USER": "tester"}
	must := mustHutong(t, vars)
	must("org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province")
	must("org", "department-create", "-name", "南海区政务服务数据管理局", "-uscc", demo.USCC("440000", 1), "-region", "440000", "-operator")
	db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, vars
}

// forgetLastMigration deletes the row of db's last migration from
// schema_migrations, leaving its changes applied, and returns its name:
// the database then reads as one with that migration pending.
func forgetLastMigration(t *testing.T, db *sqldb.DB) string {
	t.Helper()
	names, err := sqldb.Migrations(db.Dialect)
	if err != nil {
		t.Fatal(err)
	}
	last := names[len(names)-1]
	forgetMigration(t, db, last)
	return last
}

// forgetMigration deletes the row of db's applied migration name from
// schema_migrations, leaving its changes applied (and the migrations after
// it): the database then reads as one with that migration pending.
func forgetMigration(t *testing.T, db *sqldb.DB, name string) {
	t.Helper()
	res, err := db.Write().ExecContext(t.Context(), `DELETE FROM schema_migrations WHERE name = $1`, name)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("forget migration %s: %d rows deleted, %v; want its one row", name, n, err)
	}
}

// counts are the rows of the tables the commands write.
func counts(t *testing.T, db *sqldb.DB) []int {
	t.Helper()
	var n []int
	for _, table := range []string{"users", "apps", "departments", "audit_log", "record_batches"} {
		var c int
		if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM `+table).Scan(&c); err != nil {
			t.Fatal(err)
		}
		n = append(n, c)
	}
	return n
}

// TestCommandsRefuseNewerSchema: every command that reads or writes the
// domain tables refuses a database a newer release migrated, as serve and
// migrate do, naming both schemas, and writes nothing (audit list no
// audit.read row), where user, app, org, audit, export and import records
// ran on it. backup still copies it, and -verify says which release the
// copy needs and fails (it passed, exit 0). On both engines.
func TestCommandsRefuseNewerSchema(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := schemaSetup(t, dsn)
		if _, err := db.Write().ExecContext(t.Context(), `INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future.sql', $1)`,
			time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		before := counts(t, db)
		dir := t.TempDir()
		for _, args := range schemaCommands(dir) {
			out, err := hutong(t, vars, args...)
			if err == nil || !strings.Contains(err.Error(), "的结构新于本程序：数据库已由更新的版本迁移至 9999_future.sql") {
				t.Errorf("hutong %s on a newer schema: %v, want it refused\n%s", strings.Join(args, " "), err, out)
			}
		}
		if after := counts(t, db); !slices.Equal(before, after) {
			t.Errorf("rows of users, apps, departments, audit_log, record_batches: %v before the refused commands, %v after", before, after)
		}
		if _, err := os.Stat(filepath.Join(dir, "catalog.csv")); err == nil {
			t.Error("export catalog wrote its file from a newer schema")
		}
		if err := db.CheckNewer(t.Context()); err == nil {
			t.Fatal("9999_future.sql is gone")
		}

		copy := filepath.Join(dir, "b.db")
		if db.Dialect == sqldb.Postgres {
			copy = filepath.Join(dir, "b.dump")
		}
		if out, err := hutong(t, vars, "backup", "-o", copy); err != nil {
			t.Fatalf("backup of a newer schema: %v\n%s", err, out)
		}
		out, err := hutong(t, nil, "backup", "-verify", copy)
		if err == nil || !strings.Contains(err.Error(), "：由较新版本创建（数据库结构版本 9999_future.sql），本版本（") ||
			!strings.Contains(out, "数据库结构版本 9999_future.sql：由较新版本创建") {
			t.Errorf("backup -verify of a newer schema's backup: %v\n%s, want its summary and a refusal", err, out)
		}
	})
}

// TestCommandsRefusePendingMigrations: as docs/backup.md says, only
// migrate, serve and demo apply missing migrations; every other command
// that reads or writes the domain tables refuses a database whose schema
// is behind the binary's, naming the pending migration and hutong migrate,
// and leaves it behind, where records and import records migrated it
// ("已应用迁移 …") and the others ran on it. backup still copies it (a
// backup before hutong migrate is the upgrade's first step). On both
// engines.
func TestCommandsRefusePendingMigrations(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := schemaSetup(t, dsn)
		last := forgetLastMigration(t, db)
		before := counts(t, db)
		dir := t.TempDir()
		for _, args := range schemaCommands(dir) {
			out, err := hutong(t, vars, args...)
			if err == nil || !strings.Contains(err.Error(), "的结构落后于本程序：1 个迁移待应用（"+last+"）；请先运行 hutong migrate") {
				t.Errorf("hutong %s on a schema behind: %v, want it refused\n%s", strings.Join(args, " "), err, out)
			}
			if strings.Contains(out, "已应用迁移") {
				t.Errorf("hutong %s migrated:\n%s", strings.Join(args, " "), out)
			}
		}
		if pending, err := db.Pending(t.Context()); err != nil || !slices.Equal(pending, []string{last}) {
			t.Errorf("pending migrations %v, %v; want %s still pending", pending, err, last)
		}
		if after := counts(t, db); !slices.Equal(before, after) {
			t.Errorf("rows of users, apps, departments, audit_log, record_batches: %v before the refused commands, %v after", before, after)
		}
		copy := filepath.Join(dir, "b.db")
		if db.Dialect == sqldb.Postgres {
			copy = filepath.Join(dir, "b.dump")
		}
		if out, err := hutong(t, vars, "backup", "-o", copy); err != nil {
			t.Errorf("backup of a schema behind: %v\n%s", err, out)
		}
		if out, err := hutong(t, vars, "migrate", "-status"); err != nil || !strings.Contains(out, "1 个迁移待应用") {
			t.Errorf("migrate -status on a schema behind: %v\n%s", err, out)
		}
	})
}

// TestMigrateFailureNamesMigration: a migration that fails (here 0033,
// which adds a column, run again on a database that has its column but
// lost its row in schema_migrations, whatever migrations follow it) is
// reported in Chinese naming it, with the driver's error as the detail,
// where it surfaced as "sqldb: migration …: SQL logic error"; it stays
// pending. On both engines.
func TestMigrateFailureNamesMigration(t *testing.T) {
	const failing = "0033_catalog_entries_discarded_version.sql"
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		forgetMigration(t, db, failing)
		out, err := hutong(t, map[string]string{"HUTONG_DB": dsn}, "migrate")
		if err == nil || !strings.HasPrefix(err.Error(), "迁移 "+failing+" 失败，未应用") ||
			!strings.Contains(err.Error(), "discarded_version") || strings.Contains(err.Error(), "sqldb:") {
			t.Errorf("migrate with %s half applied: %v\n%s", failing, err, out)
		}
		if pending, err := db.Pending(t.Context()); err != nil || !slices.Equal(pending, []string{failing}) {
			t.Errorf("after the failed migrate: pending migrations %v, %v; want %s alone", pending, err, failing)
		}
	})
}

// TestListenBeforeDatabase: serve and demo bind their address before they touch
// the database: with the port taken they are refused at once, serve
// before it migrates, demo before it seeds the demo district (whose API
// keys, printed only by the start that creates it, would be lost), where
// both did their work first. On both engines.
func TestListenBeforeDatabase(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		addr := ln.Addr().String()
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		last := forgetLastMigration(t, db)
		for _, cmd := range []string{"serve", "demo"} {
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			var out testlog.Buffer
			err := run(ctx, []string{cmd, "-db", dsn, "-addr", addr}, func(string) string { return "" }, &out, &out)
			cancel()
			if err == nil || !strings.Contains(err.Error(), "无法在 "+addr+" 监听：端口已被占用") {
				t.Errorf("%s on a port in use: %v\n%s", cmd, err, out.String())
			}
			if pending, err := db.Pending(t.Context()); err != nil || !slices.Equal(pending, []string{last}) {
				t.Errorf("%s on a port in use: pending migrations %v, %v; want %s still pending\n%s", cmd, pending, err, last, out.String())
			}
		}
		if _, err := db.Write().ExecContext(t.Context(), `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`,
			last, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		var out testlog.Buffer
		err = run(t.Context(), []string{"demo", "-db", dsn, "-addr", addr}, func(string) string { return "" }, &out, &out)
		if err == nil || !strings.Contains(err.Error(), "端口已被占用") {
			t.Errorf("demo on a port in use: %v\n%s", err, out.String())
		}
		if seeded, err := demo.Seeded(t.Context(), db); err != nil || seeded {
			t.Errorf("demo on a port in use seeded the demo district: %v, %v\n%s", seeded, err, out.String())
		}
	})
}
