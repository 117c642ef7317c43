package main

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// unbuiltDatabases are databases without the platform's schema, of each
// engine, as the subtests name them: empty (a new file or database, or a
// copy that failed), another program's (a table t), and half-restored
// (Hutong's tables, empty of rows in schema_migrations, as pg_restore
// leaves them when it stops after creating the tables).
func unbuiltDatabases(t *testing.T, fn func(t *testing.T, dsn string, empty bool)) {
	exec := func(t *testing.T, driver, dsn, q string) {
		t.Helper()
		db, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		t.Run("empty", func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "empty.db")
			if err := os.WriteFile(dsn, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			fn(t, dsn, true)
		})
		t.Run("foreign", func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "other.db")
			exec(t, "sqlite", dsn, `CREATE TABLE t (x)`)
			fn(t, dsn, false)
		})
		t.Run("half-restored", func(t *testing.T) {
			db := sqldbtest.SQLite(t)
			exec(t, "sqlite", db.Source, `DELETE FROM schema_migrations`)
			fn(t, db.Source, false)
		})
	})
	t.Run("postgres", func(t *testing.T) {
		t.Run("empty", func(t *testing.T) {
			fn(t, sqldbtest.PostgresEncoded(t, "UTF8"), true)
		})
		t.Run("foreign", func(t *testing.T) {
			dsn := sqldbtest.PostgresEncoded(t, "UTF8")
			exec(t, "pgx", dsn, `CREATE TABLE t (x int)`)
			fn(t, dsn, false)
		})
		t.Run("half-restored", func(t *testing.T) {
			dsn := sqldbtest.PostgresDSN(t)
			exec(t, "pgx", dsn, `DELETE FROM schema_migrations`)
			fn(t, dsn, false)
		})
	})
}

// tablesOf lists the tables of the database at dsn, schema_migrations
// among them, with its rows counted.
func tablesOf(t *testing.T, dsn string) string {
	t.Helper()
	db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables, err := db.Tables(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Pending(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(tables, ",") + " pending " + strings.Join(rows, ",")
}

// TestServeRefusesUnbuiltDatabase: serve made an empty database (a new
// SQLite file, an empty PostgreSQL database: one a restore failed to
// fill) a new, empty platform, added Hutong's tables to another program's
// database, and failed on a half-restored one with "relation … already
// exists". It refuses each, in the words migrate -status uses, and leaves
// it as it was; so does serve -migrate=false. On both engines.
func TestServeRefusesUnbuiltDatabase(t *testing.T) {
	unbuiltDatabases(t, func(t *testing.T, dsn string, empty bool) {
		before := tablesOf(t, dsn)
		for _, args := range [][]string{{"serve"}, {"serve", "-migrate=false"}} {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			var out testlog.Buffer
			vars := map[string]string{"HUTONG_DB": dsn}
			err := run(ctx, append(args, "-addr", "127.0.0.1:0"), func(k string) string { return vars[k] }, &out, &out)
			cancel()
			want := []string{"空数据库，" + emptySchema, "新平台请先运行 hutong migrate", "恢复没有成功"}
			if !empty {
				want = []string{"却没有 Hutong 的迁移记录", "恢复没有成功", "其他程序的数据库"}
			}
			for _, w := range want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("%v: got %v, want it refused saying %q\n%s", args, err, w, out.String())
				}
			}
			if after := tablesOf(t, dsn); after != before {
				t.Errorf("%v changed the database: tables %s, then %s", args, before, after)
			}
		}
	})
}

// TestUnbuiltDatabaseSaidAlike: every command that opens a database says
// of one without the platform's schema what migrate -status says: audit
// verify called a half-restored database empty and told to run migrate,
// which fails on it (or mixes its tables into another program's); migrate
// on it now refuses it too, in the same words, and on an empty one builds
// the platform. migrate -status, which exited 0 on a database holding
// tables but no migration records, fails on it as the others do (it still
// prints its state and advice), and on an empty one lists the pending
// migrations. On both engines.
func TestUnbuiltDatabaseSaidAlike(t *testing.T) {
	unbuiltDatabases(t, func(t *testing.T, dsn string, empty bool) {
		vars := map[string]string{"HUTONG_DB": dsn}
		status, err := hutong(t, vars, "migrate", "-status")
		if empty && err != nil {
			t.Fatalf("migrate -status on an empty database: %v\n%s", err, status)
		}
		if !empty && !errors.Is(err, errReported) {
			t.Errorf("migrate -status on tables without Hutong's migration records: got %v, want it to fail (exit 1)\n%s", err, status)
		}
		lines := strings.Split(strings.TrimSpace(status), "\n")
		if len(lines) != 2 {
			t.Fatalf("migrate -status: want the state and the advice, got\n%s", status)
		}
		before := tablesOf(t, dsn)
		cmds := [][]string{{"audit", "verify"}, {"audit", "list"}, {"user", "list"}, {"org", "list"}, {"records", "batches"}}
		if !empty {
			cmds = append(cmds, []string{"migrate"}, []string{"demo", "-addr", "127.0.0.1:0"})
		}
		for _, args := range cmds {
			out, err := hutong(t, vars, args...)
			if err == nil || !strings.Contains(err.Error(), lines[0]) || !strings.Contains(err.Error(), lines[1]) {
				t.Errorf("%v: got %v, want migrate -status's words:\n%s\n%s", args, err, status, out)
			}
		}
		if after := tablesOf(t, dsn); after != before {
			t.Errorf("the commands changed the database: tables %s, then %s", before, after)
		}
		if empty {
			mustHutong(t, vars)("migrate")
			if got := tablesOf(t, dsn); !slices.Contains(strings.Split(got, ","), "regions") {
				t.Errorf("migrate on an empty database: tables %s", got)
			}
		}
	})
}
