package main

import (
	"context"
	"errors"
	"flag"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

const (
	warnProxies = "信任所有地址为代理"
	warnCookies = "在非本机回环地址上监听而未设 -secure-cookies"
)

// TestServeWarnsUnsafeSettings: serve (and demo) log a warning when they
// trust every address as a proxy, so that any client writes the address
// the audit log records through X-Forwarded-For, and when they listen on
// an address other machines reach without -secure-cookies; they started
// silently. Loopback addresses, -secure-cookies and narrower prefixes give
// no warning.
func TestServeWarnsUnsafeSettings(t *testing.T) {
	for _, c := range []struct {
		vars map[string]string
		args []string
		want []string
	}{
		{nil, []string{"-addr", "127.0.0.1:0"}, nil},
		{nil, []string{"-addr", "localhost:0"}, nil},
		{nil, []string{"-addr", "0.0.0.0:0"}, []string{warnCookies}},
		{nil, []string{"-addr", ":0"}, []string{warnCookies}},
		{nil, []string{"-addr", "0.0.0.0:0", "-secure-cookies"}, nil},
		{map[string]string{"HUTONG_SECURE_COOKIES": "true"}, []string{"-addr", ":0"}, nil},
		{map[string]string{"HUTONG_TRUSTED_PROXIES": "0.0.0.0/0"}, []string{"-addr", "127.0.0.1:0"}, []string{warnProxies}},
		{nil, []string{"-addr", "127.0.0.1:0", "-trusted-proxies", "::/0"}, []string{warnProxies}},
		{nil, []string{"-addr", "127.0.0.1:0", "-trusted-proxies", "10.0.0.5, 192.0.2.7/0"}, []string{warnProxies}},
		{map[string]string{"HUTONG_TRUSTED_PROXIES": "0.0.0.0/0"}, []string{"-addr", "0.0.0.0:0"}, []string{warnProxies, warnCookies}},
		{nil, []string{"-addr", "127.0.0.1:0", "-trusted-proxies", "10.0.0.0/8,127.0.0.1,0.0.0.0/1,::1"}, nil},
	} {
		var out testlog.Buffer
		e := &env{Stdout: &out, Stderr: &out, Getenv: func(k string) string { return c.vars[k] }}
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		f := addServeFlags(fs, e, "hutong.db")
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		if err := f.check(fs); err != nil {
			t.Fatal(err)
		}
		fr, err := bindFront(e, f)
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		fr.shutdown()
		log := out.String()
		for _, w := range []string{warnProxies, warnCookies} {
			want := false
			for _, x := range c.want {
				want = want || x == w
			}
			if got := strings.Contains(log, w); got != want {
				t.Errorf("%v with %v: warning %q logged %v, want %v\n%s", c.args, c.vars, w, got, want, log)
			}
		}
		if n := strings.Count(log, "level=WARN"); n != len(c.want) {
			t.Errorf("%v with %v: %d warnings, want %d\n%s", c.args, c.vars, n, len(c.want), log)
		}
	}
}

// TestServePrintsAddrAsGiven: serve -addr 0.0.0.0:PORT logs and prints
// its URL with 0.0.0.0, the address given, and the port bound, where it
// said http://[::]:PORT; the warning of the cookies comes first, in the
// log's text format.
func TestServePrintsAddrAsGiven(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hutong.db")
	mustHutong(t, map[string]string{"HUTONG_DB": db})("migrate")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out testlog.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-db", db, "-addr", "0.0.0.0:0"}, func(string) string { return "" }, &out, &out)
	}()
	started := regexp.MustCompile(`互通 Hutong 已启动：(http://\S+)`)
	deadline := time.After(time.Minute)
	var url string
	for url == "" {
		select {
		case err := <-done:
			t.Fatalf("serve exited: %v\n%s", err, out.String())
		case <-deadline:
			t.Fatalf("serve did not start:\n%s", out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if m := started.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("serve: %v", err)
	}
	log := out.String()
	if !regexp.MustCompile(`^http://0\.0\.0\.0:[1-9]\d*$`).MatchString(url) {
		t.Errorf("serve -addr 0.0.0.0:0 printed %s, want http://0.0.0.0:PORT\n%s", url, log)
	}
	if !strings.Contains(log, `msg=listening url=`+url+` `) {
		t.Errorf("the log does not give the URL %s\n%s", url, log)
	}
	if !regexp.MustCompile(`msg=listening url=\S+ db=\S+ engine=sqlite version=` + regexp.QuoteMeta(server.Version()) + `\n`).MatchString(log) {
		t.Errorf("the listening line does not give the version %s\n%s", server.Version(), log)
	}
	if !regexp.MustCompile(`level=WARN msg="` + warnCookies).MatchString(log) {
		t.Errorf("no warning of the cookies in the log\n%s", log)
	}
	if strings.Contains(log, "[::]") {
		t.Errorf("serve -addr 0.0.0.0:0 said [::]\n%s", log)
	}
}

// TestServeBaseURL: the URL keeps -addr's host, with the port bound; an -addr
// without a host gives the listener's address.
func TestServeBaseURL(t *testing.T) {
	bound := &net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}
	for _, c := range []struct{ addr, want string }{
		{"0.0.0.0:0", "http://0.0.0.0:8080"},
		{"0.0.0.0:8080", "http://0.0.0.0:8080"},
		{"localhost:8080", "http://localhost:8080"},
		{"[::1]:8080", "http://[::1]:8080"},
		{":8080", "http://[::]:8080"},
	} {
		if got := baseURL(c.addr, bound); got != c.want {
			t.Errorf("baseURL(%q): got %s, want %s", c.addr, got, c.want)
		}
	}
}

// TestMigrateStatusEmpty: migrate -status on a database without any
// schema (new, or one a pg_restore failed to fill) says it is empty, that
// migrate would make a new, empty platform of it, and what that means
// after a restore; it only listed every migration as pending, which an
// operator took for a database to migrate. On both engines; a database
// partly migrated still lists what is pending.
func TestMigrateStatusEmpty(t *testing.T) {
	check := func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		out, err := hutong(t, vars, "migrate", "-status")
		if err != nil {
			t.Fatalf("migrate -status: %v\n%s", err, out)
		}
		all, err := sqldb.Migrations(sqldb.SQLite)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"空数据库，" + emptySchema, "个迁移待应用（" + all[0] + " 至 " + all[len(all)-1] + "）",
			"新的空平台", "恢复没有成功", "不要对它运行 hutong migrate"} {
			if !strings.Contains(out, want) {
				t.Errorf("migrate -status on an empty database: want %q in\n%s", want, out)
			}
		}
		mustHutong(t, vars)("migrate")
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		last := forgetLastMigration(t, db)
		out = mustHutong(t, vars)("migrate", "-status")
		if strings.Contains(out, "空数据库") || !strings.Contains(out, "1 个迁移待应用\n  "+last) {
			t.Errorf("migrate -status with one migration pending:\n%s", out)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		// An empty file, as a copy that failed leaves.
		dsn := filepath.Join(t.TempDir(), "restored.db")
		if err := os.WriteFile(dsn, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		check(t, dsn)
	})
	t.Run("postgres", func(t *testing.T) {
		check(t, sqldbtest.PostgresEncoded(t, "UTF8"))
	})
}
