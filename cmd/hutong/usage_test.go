package main

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestUsageMasksDatabasePassword: the usage that -h and a bad flag print
// shows HUTONG_DB's and HUTONG_BENCH_PG's defaults with the password
// masked, as the log does, not in clear: docs/postgresql.md has operators
// put the password there.
func TestUsageMasksDatabasePassword(t *testing.T) {
	const secret = "S3cret-pw"
	dsn := "postgres://hutong:" + secret + "@db.example:5432/hutong?sslmode=verify-full"
	vars := map[string]string{"HUTONG_DB": dsn, "HUTONG_BENCH_PG": dsn}
	for _, args := range [][]string{
		{"serve", "-h"},
		{"demo", "-h"},
		{"backup", "-h"},
		{"migrate", "-h"},
		{"help", "audit"},
		{"app", "list", "-h"},
		{"user", "list", "-departmnt", "1"},
		{"org", "list", "-h"},
		{"records", "quality", "-h"},
		{"import", "catalog", "-h"},
		{"export", "catalog", "-h"},
		{"bench", "-h"},
	} {
		out, err := hutong(t, vars, args...)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if strings.Contains(out+msg, secret) {
			t.Errorf("hutong %s prints the database password:\n%s\n%s", strings.Join(args, " "), out, msg)
		}
		if strings.HasSuffix(args[len(args)-1], "-h") && !strings.Contains(out, "postgres://hutong:xxxxx@db.example:5432/hutong?sslmode=verify-full") {
			t.Errorf("hutong %s does not show the masked default:\n%s", strings.Join(args, " "), out)
		}
	}
	e := &env{Stderr: &testlog.Buffer{}, Getenv: func(k string) string { return vars[k] }}
	fs := newFlags(e, "migrate", "")
	got := dbFlag(fs, e)
	if err := parse(e, fs, nil); err != nil || *got != dsn {
		t.Errorf("-db from HUTONG_DB holds %q (%v), want the real DSN", *got, err)
	}
}

// TestFlagErrors: a flag the command cannot read is one Chinese line that
// names the flag and what it takes and points to -h, instead of the flag
// package's English error above the whole usage (which main printed a
// second time); -h still prints the English usage.
func TestFlagErrors(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": t.TempDir() + "/none.db"} // never opened
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"app", "rotate", "-id", "1", "-grace", "abc"},
			`-grace 的值“abc”无效：应为时长，如 24h、90m 或 30s（用法见 hutong app rotate -h）`},
		{[]string{"user", "list", "-departmnt", "1"}, "没有参数 -departmnt，是否指 -department？（用法见 hutong user list -h）"},
		{[]string{"app", "show", "-x"}, "没有参数 -x（用法见 hutong app show -h）"},
		{[]string{"app", "show", "-id"}, "-id 需要一个值：整数（用法见 hutong app show -h）"},
		{[]string{"app", "show", "-id", "三"}, `-id 的值“三”无效：应为整数（用法见 hutong app show -h）`},
		{[]string{"app", "show", "-id", "99999999999999999999"}, `-id 的值“99999999999999999999”超出范围（用法见 hutong app show -h）`},
		{[]string{"serve", "-secure-cookies=maybe"}, `-secure-cookies 的值“maybe”无效：应为 true 或 false（用法见 hutong serve -h）`},
		{[]string{"migrate", "-db"}, "-db 需要一个值（用法见 hutong migrate -h）"},
		{[]string{"migrate", "---db", "x"}, "参数写法有误：---db，应为 -名称 值 或 -名称=值（用法见 hutong migrate -h）"},
		{[]string{"calendar", "-year", "2026"}, "没有参数 -year（用法见 hutong calendar -h）"},
		{[]string{"ident", "-strict", "11010519491231002X"}, "没有参数 -strict（用法见 hutong ident -h）"},
	} {
		out, err := hutong(t, vars, c.args...)
		if err == nil || err.Error() != c.want || out != "" {
			t.Errorf("hutong %s: got %v, want %q and nothing printed\n%s", strings.Join(c.args, " "), err, c.want, out)
		}
	}
	for _, args := range [][]string{{"app", "rotate", "-h"}, {"calendar", "-h"}, {"ident", "-h"}} {
		out, err := hutong(t, vars, args...)
		if err != nil || !strings.Contains(out, "Usage: hutong "+args[0]) || !strings.Contains(out, "  -") {
			t.Errorf("hutong %s: %v, want the usage with the flags\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestReportedError: main reports an error on one line, a domain error by
// its Chinese message without its stable code (the API's) and a field
// only when the command named it as a flag, whatever wraps it.
func TestReportedError(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{errs.E(errs.NotFound, "app_not_found", "应用不存在"), "hutong: 应用不存在\n"},
		{errs.Field("anchor", "invalid_anchor", "锚点应为“序号:哈希”"), "hutong: 锚点应为“序号:哈希”\n"},
		{errs.Field("-until", "invalid_range", "截止时间应晚于起始时间"), "hutong: -until：截止时间应晚于起始时间\n"},
		{fmt.Errorf("第 3 行：%w", errs.Field("q", "query_too_long", "搜索词太长")), "hutong: 第 3 行：搜索词太长\n"},
		{errs.Wrap(errs.Unavailable, "", "审计存储不可用", errors.New("disk full")), "hutong: 审计存储不可用：disk full\n"},
		{errors.New("未指定命令"), "hutong: 未指定命令\n"},
		{fmt.Errorf("ident: %w", errInvalidInput), ""},
		{errReported, ""},
	} {
		var b strings.Builder
		report(&b, c.err)
		if b.String() != c.want {
			t.Errorf("report(%v) = %q, want %q", c.err, b.String(), c.want)
		}
	}
}

// TestAdminMessages: what org, user and app print is Chinese: levels and
// roles by the console's labels, not province or dept_admin; a grace period
// in hours and minutes, not Go's 24h0m0s, with the time it ends; a domain
// error without its code. On both engines.
func TestAdminMessages(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn, "HUTONG_PASSWORD": "Correct-Horse-9"}
		must := mustHutong(t, vars)
		must("migrate")
		must("org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province")
		must("org", "department-create", "-name", "广东省政务服务和数据管理局", "-uscc", demo.USCC("440000", 1), "-region", "440000", "-operator")
		must("user", "create", "-username", "gd.op", "-name", "主管", "-department", "1", "-role", "operator")
		must("user", "create", "-username", "gd.admin", "-name", "管理员", "-department", "1", "-role", "dept_admin")
		must("app", "create", "-name", "运维", "-department", "1", "-scopes", "catalog.read")
		if out := must("org", "list"); !strings.Contains(out, "省级") || strings.Contains(out, "province") {
			t.Errorf("org list, want the level 省级:\n%s", out)
		}
		if out := must("user", "list"); !strings.Contains(out, "平台管理员") || !strings.Contains(out, "部门管理员") ||
			strings.Contains(out, "operator") || strings.Contains(out, "dept_admin") {
			t.Errorf("user list, want the roles 平台管理员 and 部门管理员:\n%s", out)
		}
		at := regexp.MustCompile(`（至北京时间 (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)）`)
		out := must("app", "rotate", "-id", "1", "-grace", "24h")
		m := at.FindStringSubmatch(out)
		if !strings.Contains(out, " 在 24 小时内（至北京时间 ") || m == nil || strings.Contains(out, "24h0m0s") {
			t.Fatalf("rotate -grace 24h:\n%s", out)
		}
		first := m[1]
		out = must("app", "rotate", "-id", "1", "-grace", "90m")
		if !strings.Contains(out, " 在 1 小时 30 分钟内（至北京时间 ") || !strings.Contains(out, "更早的密钥") || !strings.Contains(out, "，至北京时间 "+first) {
			t.Errorf("rotate -grace 90m after -grace 24h, want the key it replaces for 1 小时 30 分钟 and the earlier one kept until %s:\n%s", first, out)
		}
		if out := must("app", "show", "-id", "1"); !strings.Contains(out, "宽限期至 "+first) {
			t.Errorf("app show after a second, shorter rotation, want the first key valid until %s:\n%s", first, out)
		}
		_, err := hutong(t, vars, "app", "show", "-id", "99")
		var b strings.Builder
		report(&b, err)
		if b.String() != "hutong: 应用不存在\n" {
			t.Errorf("app show -id 99: %q", b.String())
		}
	})
}

// TestZhDuration: a duration in Chinese text reads as hours, minutes and
// seconds.
func TestZhDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		24 * time.Hour:                        "24 小时",
		720 * time.Hour:                       "720 小时",
		90 * time.Minute:                      "1 小时 30 分钟",
		3 * time.Second:                       "3 秒",
		time.Hour + 5*time.Second:             "1 小时 5 秒",
		2*time.Minute + 1500*time.Millisecond: "2 分钟 1.5 秒",
		300 * time.Millisecond:                "0.3 秒",
	} {
		if got := zhDuration(d); got != want {
			t.Errorf("zhDuration(%s) = %q, want %q", d, got, want)
		}
	}
}

// TestServePortInUse: serve on a port another program holds says so in
// Chinese, naming the address and the flag, not "bind: address already in
// use".
func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "h.db")}
	mustHutong(t, vars)("migrate")
	addr := ln.Addr().String()
	_, err = hutong(t, vars, "serve", "-addr", addr)
	want := "无法在 " + addr + " 监听：端口已被占用（换一个 -addr 或 HUTONG_ADDR，或先停止占用它的程序）"
	if err == nil || err.Error() != want {
		t.Errorf("serve on a busy port: got %v, want %q", err, want)
	}
	_, err = hutong(t, vars, "serve", "-addr", "127.0.0.1")
	want = `-addr “127.0.0.1”（或 HUTONG_ADDR）：应为 主机:端口，如 127.0.0.1:8080 或 :8080`
	if err == nil || err.Error() != want {
		t.Errorf("serve -addr without a port: got %v, want %q", err, want)
	}
}

// TestHelpOnStandardOutput: the usage that help asks for (hutong help
// COMMAND, hutong COMMAND -h, hutong COMMAND VERB -h) is printed on
// standard output, as hutong help's, so that hutong help user | less
// shows it; the usage printed because of an error stays on standard
// error, with the error.
func TestHelpOnStandardOutput(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "none.db")} // never opened
	var asked [][]string
	for name := range commands() {
		if name == "bench" { // not run here, even for its usage (parse is the same)
			continue
		}
		asked = append(asked, []string{"help", name}, []string{name, "-h"})
	}
	asked = append(asked, []string{"user", "create", "-h"}, []string{"app", "help"}, []string{"records", "quality", "-h"},
		[]string{"import", "catalog", "-h"}, []string{"import", "records", "--help"}, []string{"export", "catalog", "-h"})
	for _, args := range asked {
		name := args[0]
		if name == "help" {
			name = args[1]
		}
		stdout, stderr, err := hutongApart(t, vars, args...)
		if err != nil || !strings.HasPrefix(stdout, "Usage: hutong "+name) || stderr != "" {
			t.Errorf("hutong %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout, stderr)
		}
	}
	for _, args := range [][]string{
		{"user"},
		{"app", "-id", "3"},
		{"import"},
		{"ident"},
	} {
		stdout, stderr, err := hutongApart(t, vars, args...)
		if err == nil || stdout != "" || !strings.HasPrefix(stderr, "Usage: hutong "+args[0]) {
			t.Errorf("hutong %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout, stderr)
		}
	}
}
