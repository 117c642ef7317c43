package main

import (
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestServeJSONErrors: with -log-format json (or HUTONG_LOG_FORMAT=json, or
// --log-format json before the command), serve and demo that fail are said
// in JSON, as one ERROR line whose err holds the Chinese message as written
// (not \u escapes), whether they failed before binding their address (a flag
// they cannot read, an environment variable that is not a boolean, a SQLite
// file that is not there, the port in use) or after (a migration that
// fails), and main prints nothing more (report): every line the process
// writes on standard error is JSON. The exit status stays 1. On both
// engines.
func TestServeJSONErrors(t *testing.T) {
	const failing = "0033_catalog_entries_discarded_version.sql"
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		taken := ln.Addr().String()
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		forgetMigration(t, db, failing)
		missing := filepath.Join(t.TempDir(), "missing.db")
		type failure struct {
			vars map[string]string
			args []string
			want string
		}
		cases := []failure{{nil, []string{"serve", "-log-format", "json", "-db", missing}, "数据库 " + missing + " 不存在"},
			{nil, []string{"serve", "-log-format", "json", "-db", "-log-format=text"}, "-log-format=text 不存在"}}
		for _, cmd := range []string{"serve", "demo"} {
			cases = append(cases,
				failure{nil, []string{cmd, "-log-format", "json", "-bogus"}, "没有参数 -bogus"},
				failure{nil, []string{"--log-format", "json", "--bogus", cmd}, "命令前不能有参数 --bogus"},
				failure{nil, []string{"--bogus", "--log-format=json", cmd, "-db", dsn}, "命令前不能有参数 --bogus"},
				failure{nil, []string{"--bogus", "x", cmd, "-log-format", "json"}, "命令前不能有参数 --bogus"},
				failure{map[string]string{"HUTONG_LOG_FORMAT": "json"}, []string{"--migrate=maybe", cmd}, "--migrate=maybe：应为 true 或 false"},
				failure{nil, []string{"--log-format", "json", "--db", cmd}, "--db 需要一个值"},
				failure{map[string]string{"HUTONG_LOG_FORMAT": "json", "HUTONG_MIGRATE": "maybe"}, []string{cmd, "-db", dsn},
					`HUTONG_MIGRATE=“maybe”：应为 true 或 false`},
				failure{nil, []string{"--log-format", "json", cmd, "-addr", taken, "-db", dsn}, "无法在 " + taken + " 监听：端口已被占用"},
				failure{nil, []string{cmd, "-log-format=json", "-addr", "127.0.0.1:0", "-db", dsn}, "迁移 " + failing + " 失败，未应用"})
		}
		for _, c := range cases {
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			var stdout, stderr testlog.Buffer
			err := run(ctx, c.args, func(k string) string { return c.vars[k] }, &stdout, &stderr)
			cancel()
			report(&stderr, err)
			if err == nil || exitCode(ctx, err) != 1 {
				t.Errorf("%v: %v, want a failure with exit status 1", c.args, err)
			}
			var failed int
			for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
				var line struct{ Level, Msg, Err string }
				if err := json.Unmarshal([]byte(l), &line); err != nil {
					t.Errorf("%v: a line of stderr is not JSON: %q", c.args, l)
					continue
				}
				if line.Level == "ERROR" {
					failed++
					if line.Msg != "stopped on error" || !strings.Contains(line.Err, c.want) || strings.Contains(l, `\u`) {
						t.Errorf("%v: error logged as %s, want msg \"stopped on error\" and err with %q, unescaped", c.args, l, c.want)
					}
				}
			}
			if failed != 1 {
				t.Errorf("%v: %d ERROR lines, want 1:\n%s", c.args, failed, stderr.String())
			}
		}
	})
}

// TestStartLogBadGlobals: a command line whose flags before the command
// cannot be parsed is still logged in JSON when it is serve's or demo's
// and asked for JSON, before or after the flag at fault (in either place
// the operator asked for it); it is plain text for any other command, or
// when the command's own -log-format, after, says text.
func TestStartLogBadGlobals(t *testing.T) {
	for _, c := range []struct {
		args []string
		json bool
	}{
		{[]string{"--log-format", "json", "--bogus", "serve"}, true},
		{[]string{"--bogus", "--log-format", "json", "demo"}, true},
		{[]string{"--bogus", "json", "serve", "-log-format=json"}, true},
		{[]string{"--bogus", "serve"}, false},
		{[]string{"--bogus", "json", "serve"}, false},
		{[]string{"--log-format", "json", "--bogus", "migrate"}, false},
		{[]string{"--log-format", "json", "--bogus", "serve", "-log-format", "text"}, false},
	} {
		var stderr testlog.Buffer
		if log := startLog(c.args, func(string) string { return "" }, &stderr); (log != nil) != c.json {
			t.Errorf("%v: JSON log %v, want %v", c.args, log != nil, c.json)
		}
	}
}

// TestStartLogReadsServeFlags: the start log reads serve's and demo's
// flags as they do when they can parse them, so that it logs JSON exactly
// when their front end does: a value that looks like -log-format (the
// -db of a file so named) is a value, not the log format.
func TestStartLogReadsServeFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		json bool
	}{
		{[]string{"serve", "-log-format", "json", "-db", "-log-format=text"}, true},
		{[]string{"demo", "-log-format", "text", "-calendar", "-log-format=json"}, false},
		{[]string{"demo", "-log-format", "json", "-addr", "-log-format", "-db", "x.db"}, true},
	} {
		var stderr testlog.Buffer
		if log := startLog(c.args, func(string) string { return "" }, &stderr); (log != nil) != c.json {
			t.Errorf("%v: JSON log %v, want %v", c.args, log != nil, c.json)
		}
	}
}
