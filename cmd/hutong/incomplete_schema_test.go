package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestCommandsRefuseIncompleteSchema: a database with every migration's
// record but without some of the objects the migrations create, as a
// pg_restore stopped before its post-data section leaves it (here a unique
// constraint and a primary key dropped on PostgreSQL, an index on
// SQLite), passed every check: migrate -status said nothing was pending
// and exited 0, migrate said it was current, audit verify said the chain
// was intact, serve started and its logins failed with 500 (no unique
// constraint matching the ON CONFLICT specification). Each refuses it,
// naming what is missing and saying the restore did not complete. On
// both engines.
func TestCommandsRefuseIncompleteSchema(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := schemaSetup(t, dsn)
		drops := []string{`DROP INDEX users_department`}
		want := []string{"结构不完整", "迁移记录", "index users.users_department", "docs/backup.md"}
		if db.Dialect == sqldb.Postgres {
			drops = []string{`ALTER TABLE users DROP CONSTRAINT users_username_key`,
				`ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey`}
			want = []string{"结构不完整", "迁移记录", "缺少 4 个", "audit_log.audit_log_pkey", "unique users.users_username_key",
				"恢复没有完成", "重新运行 pg_restore", "docs/backup.md"}
		}
		for _, q := range drops {
			if _, err := db.Write().ExecContext(t.Context(), q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		refused := func(args []string, out string, err error) {
			t.Helper()
			for _, w := range want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("hutong %s on an incomplete schema: got %v, want it refused saying %q\n%s",
						strings.Join(args, " "), err, w, out)
					return
				}
			}
		}
		cmds := append([][]string{{"migrate", "-status"}, {"migrate"}}, schemaCommands(t.TempDir())...)
		for _, args := range cmds {
			out, err := hutong(t, vars, args...)
			refused(args, out, err)
		}
		for _, args := range [][]string{{"serve"}, {"serve", "-migrate=false"}} {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			var out testlog.Buffer
			err := run(ctx, append(args, "-addr", "127.0.0.1:0"), func(k string) string { return vars[k] }, &out, &out)
			cancel()
			refused(args, out.String(), err)
		}
	})
}

// pgRestorer backs up the PostgreSQL database vars name with hutong backup
// and returns a new empty database and a function restoring the dump's
// sections given into it with pg_restore, which fails the test if
// pg_restore does.
func pgRestorer(t *testing.T, vars map[string]string) (string, func(sections ...string)) {
	t.Helper()
	dump := filepath.Join(t.TempDir(), "b.dump")
	mustHutong(t, vars)("backup", "-o", dump)
	pgRestore, err := backup.Tool("pg_restore")
	if err != nil {
		t.Fatal(err)
	}
	target := sqldbtest.PostgresEncoded(t, "UTF8")
	return target, func(sections ...string) {
		args := []string{"--no-owner", "--exit-on-error", "--dbname=" + target, dump}
		for _, s := range sections {
			args = append(args, "--section="+s)
		}
		if out, err := exec.CommandContext(t.Context(), pgRestore, args...).CombinedOutput(); err != nil {
			t.Fatalf("pg_restore %v: %v\n%s", sections, err, out)
		}
	}
}

// TestPartialRestoreRefused: a pg_restore that stops before its post-data
// section (interrupted, the dump cut short, the disk full) leaves every
// table and row, schema_migrations' 43 among them, and no index, key,
// foreign key or trigger; migrate -status said 0 pending and exited 0.
// It now fails, saying the restore did not complete, and passes once
// pg_restore has finished the post-data section.
func TestPartialRestoreRefused(t *testing.T) {
	_, vars := schemaSetup(t, sqldbtest.PostgresDSN(t))
	target, restore := pgRestorer(t, vars)
	restored := map[string]string{"HUTONG_DB": target}
	restore("pre-data", "data")
	out, err := hutong(t, restored, "migrate", "-status")
	if err == nil || !strings.Contains(err.Error(), "结构不完整") || !strings.Contains(err.Error(), "恢复没有完成") {
		t.Errorf("migrate -status after pg_restore stopped before post-data: got %v, want it refused\n%s", err, out)
	}
	restore("post-data")
	if out, err := hutong(t, restored, "migrate", "-status"); err != nil || !strings.Contains(out, "0 个迁移待应用") {
		t.Errorf("migrate -status after the whole restore: %v\n%s", err, out)
	}
}

// TestOlderPartialRestoreRefused: the objects were checked only on a
// database whose every migration was applied, so a half-built restore of
// a former release's backup (restore, then upgrade: the common path)
// passed migrate -status (1 个迁移待应用, exit 0), and migrate and serve
// applied the pending migration to it before refusing it. On PostgreSQL
// pg_restore stops before the post-data section of a dump made one
// migration back; on SQLite an index of that version is missing. migrate
// -status, migrate and serve now refuse it as it is, applying nothing;
// restored whole, it reads as one migration behind.
func TestOlderPartialRestoreRefused(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := schemaSetup(t, dsn)
		last := forgetLastMigration(t, db)
		var finish func()
		if db.Dialect == sqldb.Postgres {
			target, restore := pgRestorer(t, vars)
			restore("pre-data", "data")
			finish = func() { restore("post-data") }
			vars = map[string]string{"HUTONG_DB": target}
			var err error
			if db, err = sqldb.Open(t.Context(), target, sqldb.Options{}); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
		} else {
			if _, err := db.Write().ExecContext(t.Context(), `DROP INDEX users_department`); err != nil {
				t.Fatal(err)
			}
			finish = func() {
				if _, err := db.Write().ExecContext(t.Context(), `CREATE INDEX users_department ON users (department_id)`); err != nil {
					t.Fatal(err)
				}
			}
		}
		want := []string{"结构不完整", "已应用 ", "至 ", "请勿使用"}
		pending := func(args []string) {
			t.Helper()
			p, err := db.Pending(t.Context())
			if err != nil || !slices.Equal(p, []string{last}) {
				t.Fatalf("after hutong %s: pending %v, %v; want %s still pending, nothing applied", strings.Join(args, " "), p, err, last)
			}
		}
		for _, args := range [][]string{{"migrate", "-status"}, {"migrate"}} {
			out, err := hutong(t, vars, args...)
			for _, w := range want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("hutong %s on a half-restored older backup: got %v, want it refused saying %q\n%s",
						strings.Join(args, " "), err, w, out)
					break
				}
			}
			pending(args)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		var out testlog.Buffer
		err := run(ctx, []string{"serve", "-addr", "127.0.0.1:0"}, func(k string) string { return vars[k] }, &out, &out)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "结构不完整") {
			t.Errorf("serve on a half-restored older backup: got %v, want it refused\n%s", err, out.String())
		}
		pending([]string{"serve"})
		finish()
		if out, err := hutong(t, vars, "migrate", "-status"); err != nil || !strings.Contains(out, "1 个迁移待应用") {
			t.Errorf("migrate -status after the whole restore: %v\n%s", err, out)
		}
	})
}
