package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestServeConfigRefused: an environment variable that is not a boolean or
// a number, a log format other than text or json, a trusted proxy that is
// not an address or a prefix, a connection count or a
// retention of unchanged changes' keys out of range or a missing calendar
// file, or -dev outside the repository root, is refused before the database is
// opened, instead of being read as the default (HUTONG_MIGRATE=no migrated,
// HUTONG_SECURE_COOKIES=yes left cookies without Secure, -log-format xml
// logged text).
func TestServeConfigRefused(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hutong.db")
	for _, c := range []struct {
		vars map[string]string
		args []string
		want string
	}{
		{map[string]string{"HUTONG_MIGRATE": "no"}, []string{"serve"}, `HUTONG_MIGRATE=“no”：应为 true 或 false（或 1 / 0）`},
		{map[string]string{"HUTONG_SECURE_COOKIES": "yes"}, []string{"serve"}, `HUTONG_SECURE_COOKIES=“yes”：应为 true 或 false（或 1 / 0）`},
		{map[string]string{"HUTONG_DEV": "on"}, []string{"serve"}, `HUTONG_DEV=“on”：应为 true 或 false（或 1 / 0）`},
		{nil, []string{"serve", "-log-format", "xml"}, `-log-format “xml”（或 HUTONG_LOG_FORMAT）：应为 text 或 json`},
		{map[string]string{"HUTONG_LOG_FORMAT": "JSON"}, []string{"serve"}, `-log-format “JSON”（或 HUTONG_LOG_FORMAT）：应为 text 或 json`},
		{map[string]string{"HUTONG_DB_CONNS": "many"}, []string{"serve"}, `HUTONG_DB_CONNS=“many”：应为整数`},
		{nil, []string{"serve", "-db-conns", "501"}, `-db-conns 501（或 HUTONG_DB_CONNS）：应为 1 到 500，或 0 表示默认值`},
		{nil, []string{"demo", "-db-conns", "-1"}, `-db-conns -1（或 HUTONG_DB_CONNS）：应为 1 到 500，或 0 表示默认值`},
		{map[string]string{"HUTONG_UNCHANGED_KEY_DAYS": "30d"}, []string{"serve"}, `HUTONG_UNCHANGED_KEY_DAYS=“30d”：应为整数`},
		{nil, []string{"serve", "-unchanged-key-days", "-1"},
			`-unchanged-key-days -1（或 HUTONG_UNCHANGED_KEY_DAYS）：应为 1 到 3650，或 0 表示永久保留`},
		{map[string]string{"HUTONG_UNCHANGED_KEY_DAYS": "3651"}, []string{"demo"},
			`-unchanged-key-days 3651（或 HUTONG_UNCHANGED_KEY_DAYS）：应为 1 到 3650，或 0 表示永久保留`},
		{nil, []string{"--unchanged-key-days", "4000", "serve"},
			`-unchanged-key-days 4000（或 HUTONG_UNCHANGED_KEY_DAYS）：应为 1 到 3650，或 0 表示永久保留`},
		{nil, []string{"serve", "-trusted-proxies", "10.0.0.5, nginx"},
			`-trusted-proxies（或 HUTONG_TRUSTED_PROXIES）：“nginx”不是 IP 地址或 CIDR 网段；应为以逗号分隔的 IP 地址或 CIDR 网段，如 10.0.0.5,10.1.0.0/16`},
		{map[string]string{"HUTONG_TRUSTED_PROXIES": "10.0.0.0/33"}, []string{"demo"}, `“10.0.0.0/33”不是 IP 地址或 CIDR 网段`},
		// -dev reads the console from the source tree: outside the
		// repository root (as the tests run, in cmd/hutong) it says so.
		{map[string]string{"HUTONG_DEV": "true"}, []string{"serve"},
			"-dev（或 HUTONG_DEV）从源码树的 internal/web 读取模板和静态文件，须在仓库根目录运行：当前目录下没有 internal/web/templates"},
		{nil, []string{"demo", "-dev"}, "须在仓库根目录运行"},
		// A calendar file that cannot be read stops demo before it creates
		// its database.
		{nil, []string{"demo", "-calendar", filepath.Join(dir, "no-such-calendar.txt")}, "no-such-calendar.txt 不存在"},
		// demo creates its database: here in a folder that does not exist,
		// so that without the check it fails instead of serving.
		{map[string]string{"HUTONG_MIGRATE": "off", "HUTONG_DB": filepath.Join(dir, "none", "demo.db")}, []string{"demo"},
			`HUTONG_MIGRATE=“off”：应为 true 或 false（或 1 / 0）`},
		// A flag wins over its environment variable: one it overrides is
		// not read, and the command goes on to the database, missing here.
		{map[string]string{"HUTONG_DEV": "yes"}, []string{"serve", "-dev=false"}, "数据库 " + db + " 不存在"},
		{map[string]string{"HUTONG_MIGRATE": "no", "HUTONG_DB_CONNS": "many"}, []string{"serve", "-migrate=false", "-db-conns", "4"},
			"数据库 " + db + " 不存在"},
		{map[string]string{"HUTONG_MIGRATE": "no", "HUTONG_DB_CONNS": "many"}, []string{"serve", "-migrate=false"},
			`HUTONG_DB_CONNS=“many”：应为整数`},
		// Values that are read go on to the database, which is missing here.
		{map[string]string{"HUTONG_MIGRATE": "false", "HUTONG_SECURE_COOKIES": "1", "HUTONG_LOG_FORMAT": "json",
			"HUTONG_UNCHANGED_KEY_DAYS": "0"}, []string{"serve"}, "数据库 " + db + " 不存在"},
	} {
		vars := map[string]string{"HUTONG_DB": db, "HUTONG_ADDR": "127.0.0.1:0"}
		for k, v := range c.vars {
			vars[k] = v
		}
		out, err := hutong(t, vars, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("hutong %s with %v: got %v, want %q\n%s", strings.Join(c.args, " "), c.vars, err, c.want, out)
		}
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("hutong %s with %v created %s", strings.Join(c.args, " "), c.vars, db)
		}
	}
}

// TestServeNoMigratePending: serve --migrate=false on a database whose
// schema is behind the binary's, or empty, refuses to start, naming the
// pending migrations and the command that applies them, instead of
// answering 500 (relation "login_failures" does not exist) while /readyz
// said 503; on a current schema it starts. On both engines.
func TestServeNoMigratePending(t *testing.T) {
	// A server that starts is stopped after a while, and so fails the
	// test instead of hanging it.
	hutong := func(t *testing.T, vars map[string]string, args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		var out testlog.Buffer
		err := run(ctx, args, func(k string) string { return vars[k] }, &out, &out)
		return out.String(), err
	}
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		names, err := sqldb.Migrations(db.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		last := names[len(names)-1]
		if _, err := db.Write().ExecContext(t.Context(), `DELETE FROM schema_migrations WHERE name = $1`, last); err != nil {
			t.Fatal(err)
		}
		vars := map[string]string{"HUTONG_DB": dsn, "HUTONG_ADDR": "127.0.0.1:0"}

		want := "数据库 " + db.Source + " 的结构落后于本程序：1 个迁移待应用（" + last + "）；请先运行 hutong migrate（-migrate=false 时 serve 不迁移）"
		for _, args := range [][]string{{"serve", "-migrate=false"}, {"--migrate=false", "serve"}} {
			if _, err := hutong(t, vars, args...); err == nil || err.Error() != want {
				t.Errorf("hutong %s on a schema behind:\n got %v\nwant %s", strings.Join(args, " "), err, want)
			}
		}
		vars["HUTONG_MIGRATE"] = "false"
		if _, err := hutong(t, vars, "serve"); err == nil || err.Error() != want {
			t.Errorf("HUTONG_MIGRATE=false serve on a schema behind: got %v", err)
		}
		if _, err := db.Write().ExecContext(t.Context(), `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`,
			last, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		_, _, stop := startServe(t, vars, "serve")
		if err := stop(); err != nil {
			t.Error(err)
		}
	})
	empty := tempFile(t, "empty.db", "")
	_, err := hutong(t, map[string]string{"HUTONG_DB": empty}, "serve", "-migrate=false", "-addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "空数据库，尚未建立结构") || !strings.Contains(err.Error(), "0001_foundation.sql") ||
		!strings.Contains(err.Error(), "hutong migrate") {
		t.Errorf("serve -migrate=false on an empty database: %v", err)
	}
}

// TestNewerSchemaRefused: a database a newer release migrated (it holds a
// migration the binary does not embed) is refused, with one line naming
// its schema and the binary's, by serve with or without -migrate, by
// migrate, which before said it was current, and by migrate -status,
// which before listed nothing to apply. On both engines.
func TestNewerSchemaRefused(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		names, err := sqldb.Migrations(db.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(t.Context(), `INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_later.sql', $1)`,
			time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		want := "数据库 " + db.Source + " 的结构新于本程序：数据库已由更新的版本迁移至 9999_later.sql，本程序的结构只到 " + names[len(names)-1] +
			"；请使用该版本或更新版本的 hutong（迁移不能回退）"
		vars := map[string]string{"HUTONG_DB": dsn, "HUTONG_ADDR": "127.0.0.1:0"}
		for _, args := range [][]string{{"serve", "-migrate=false"}, {"serve"}, {"migrate"}, {"migrate", "-status"}} {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			var out testlog.Buffer
			err := run(ctx, args, func(k string) string { return vars[k] }, &out, &out)
			cancel()
			if err == nil || err.Error() != want {
				t.Errorf("hutong %s on a newer schema:\n got %v\nwant %s\n%s", strings.Join(args, " "), err, want, out.String())
			}
		}
	})
}
