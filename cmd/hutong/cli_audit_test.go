package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestCanceledCommand: a command stopped by Ctrl-C before its work began
// (here, as it opens the database) says so in Chinese, where it said
// "load records: context canceled"; the process exits with 128 + the
// signal's number (130 for SIGINT). TestInterruptImportRecords stops one in
// its work. On both engines.
func TestCanceledCommand(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		recordstest.Entry(t, db, recordstest.Department(t, db, "公安分局", 1), hujiSpec)
		in := opsFile(t, addLine(recordstest.CitizenID(0), "张三"))
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(interrupted{syscall.SIGINT})
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"import", "records", "-entry", "101001/000001", "-file", in}, "已取消"},
			{[]string{"records", "crosscheck"}, "已取消"},
		} {
			var out testlog.Buffer
			err := run(ctx, c.args, func(k string) string { return vars[k] }, &out, &out)
			var b strings.Builder
			report(&b, err)
			if got := strings.TrimSuffix(b.String(), "\n"); !strings.Contains(got, c.want) || !strings.HasPrefix(got, "hutong: ") || strings.Contains(got, "context canceled") {
				t.Errorf("hutong %s canceled: got %q, want hutong: %s", strings.Join(c.args, " "), got, c.want)
			}
			if code := exitCode(ctx, err); code != 130 {
				t.Errorf("hutong %s canceled: exit status %d, want 130", strings.Join(c.args, " "), code)
			}
		}
		if out := mustHutong(t, vars)("records", "batches"); !strings.Contains(out, "没有批次") {
			t.Errorf("records batches after a canceled import, want none:\n%s", out)
		}
	})
}

// TestCanceledSweepKept: a cross-check stopped midway says which of its
// findings were saved and audited, as its pages commit one by one with
// their audit rows, and that the summary row of a complete run was not
// written.
func TestCanceledSweepKept(t *testing.T) {
	for _, c := range []struct {
		res  records.SweepResult
		want string
	}{
		{records.SweepResult{Pairs: 3, Compared: 1200, Found: 4, Resolved: 2},
			"多源校核已取消：已比对 3 对数据资源中的 1200 个数据主体，新发现差异 4 处、消除 2 处，均已保存并记入审计日志（未写本次比对的汇总记录）；再次运行 hutong records crosscheck 会从头比对"},
		{records.SweepResult{Pairs: 3, Compared: 3000, Found: 4, Resolved: 2, Closed: 1},
			"多源校核已取消：已比对 3 对数据资源中的 3000 个数据主体，新发现差异 4 处、消除 2 处、因不再比对关闭 1 处，均已保存并记入审计日志（未写本次比对的汇总记录）；再次运行 hutong records crosscheck 会从头比对"},
	} {
		if msg := sweepCanceled(c.res); msg != c.want {
			t.Errorf("%+v: got %q, want %q", c.res, msg, c.want)
		}
	}
}

// TestExitCode: 1 for any failure but one a signal's cancellation caused.
func TestExitCode(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	if code := exitCode(ctx, errors.New("x")); code != 1 {
		t.Errorf("failure: exit status %d, want 1", code)
	}
	cancel(interrupted{syscall.SIGTERM})
	if code := exitCode(ctx, fmt.Errorf("load: %w", context.Canceled)); code != 143 {
		t.Errorf("SIGTERM: exit status %d, want 143", code)
	}
	if code := exitCode(ctx, errors.New("x")); code != 1 {
		t.Errorf("failure after SIGTERM: exit status %d, want 1", code)
	}
}

// TestDomainErrorCause: a domain error is printed by its Chinese message,
// without an English cause that only restates it ("entry 301001/000021 is
// draft"); a system's failure keeps its cause, and so does a domain
// error's domain cause.
func TestDomainErrorCause(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&errs.Error{Kind: errs.Conflict, Code: "entry_not_published", Message: "数据资源 301001/000021 未发布，不能归集数据",
			Err: errors.New("entry 301001/000021 is draft")}, "数据资源 301001/000021 未发布，不能归集数据"},
		{errs.Wrap(errs.Unavailable, "", "数据库暂时无法访问，请稍后重试", errors.New("connection refused")), "数据库暂时无法访问，请稍后重试：connection refused"},
		{errs.Wrap(errs.Invalid, "", "第 2 行有误", errs.E(errs.Invalid, "bad", "日期无效")), "第 2 行有误：日期无效"},
	} {
		if got := message(c.err); got != c.want {
			t.Errorf("message(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

// TestImportDraftEntry: pushing to a draft entry from the command line
// says it is not published, in Chinese alone. On both engines.
func TestImportDraftEntry(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		id := recordstest.Entry(t, db, recordstest.Department(t, db, "公安分局", 1), hujiSpec)
		if _, err := db.Write().ExecContext(context.Background(), `UPDATE catalog_entries SET status = 'draft' WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		_, err := hutong(t, vars, "import", "records", "-entry", "101001/000001", "-file", opsFile(t, addLine(recordstest.CitizenID(0), "张三")))
		if want := "数据资源 101001/000001 未发布，不能归集数据"; err == nil || message(err) != want {
			t.Errorf("import into a draft entry: got %v, want %q", err, want)
		}
	})
}

// TestHelpVerb: hutong help COMMAND VERB is hutong COMMAND VERB -h, with
// the verb's flags; the overview of a command's verbs ends with where
// their flags are.
func TestHelpVerb(t *testing.T) {
	for _, c := range [][]string{{"org", "region-create", "-level"}, {"user", "create", "-role"}, {"app", "rotate", "-grace"},
		{"audit", "list", "-actor-kind"}, {"records", "batches", "-before"}, {"import", "catalog", "-department"}} {
		out, err := hutong(t, nil, "help", c[0], c[1])
		if err != nil || !strings.Contains(out, "  "+c[2]) {
			t.Errorf("hutong help %s %s: %v, want the flag %s:\n%s", c[0], c[1], err, c[2], out)
		}
	}
	for _, cmd := range []string{"org", "user", "app", "audit", "records"} {
		for _, args := range [][]string{{"help", cmd}, {cmd, "-h"}} {
			out, err := hutong(t, nil, args...)
			if want := "Run 'hutong " + cmd + " VERB -h' for a verb's flags.\n"; err != nil || !strings.HasSuffix(out, want) {
				t.Errorf("hutong %s: %v, want it to end with %q:\n%s", strings.Join(args, " "), err, want, out)
			}
		}
	}
	if _, err := hutong(t, nil, "help", "ident", "x"); err == nil || !strings.Contains(err.Error(), "ident 没有子命令") {
		t.Errorf("hutong help ident x: got %v, want ident 没有子命令", err)
	}
}

// TestMissingFlagOneLine: a missing required flag of import is one line
// naming it, without the usage above it.
func TestMissingFlagOneLine(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "catalog", "-file", "x.csv"}, "必须指定 -department"},
		{[]string{"import", "records", "-entry", "101001/000001"}, "必须指定 -file"},
		{[]string{"export", "catalog"}, "必须指定 -o（或 -file）"},
		{[]string{"import", "recods"}, `未知类型“recods”，可用的类型：catalog、records（用法见 hutong import -h）`},
	} {
		stdout, stderr, err := hutongApart(t, nil, c.args...)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || stdout != "" || stderr != "" {
			t.Errorf("hutong %s: got %v, want %q alone\nstdout: %s\nstderr: %s", strings.Join(c.args, " "), err, c.want, stdout, stderr)
		}
	}
}

// TestREADMEGlobalFlags: the flags of README's configuration table are
// those that may come before the command (globalFlags), as the README says,
// where --trusted-proxies was listed and refused there.
func TestREADMEGlobalFlags(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `--([a-z-]+)` \\| `(HUTONG_[A-Z_]+)` \\|")
	table := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		table[m[1]] = m[2]
	}
	global := map[string]string{}
	for _, g := range globalFlags {
		global[g.name] = g.env
	}
	if len(table) == 0 || !maps.Equal(table, global) {
		t.Errorf("README's configuration table lists %v, globalFlags %v", table, global)
	}
	_, _, vals, err := parseGlobals([]string{"--trusted-proxies", "10.0.0.5", "serve"})
	if err != nil || vals["HUTONG_TRUSTED_PROXIES"] != "10.0.0.5" {
		t.Errorf("hutong --trusted-proxies 10.0.0.5 serve: %v %v", vals, err)
	}
}

// TestUnknownCommandSuggestion: a mistyped command is answered with the
// nearest one, as a mistyped flag is.
func TestUnknownCommandSuggestion(t *testing.T) {
	_, err := hutong(t, nil, "serv")
	if want := `未知命令“serv”，是否指 serve？`; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("hutong serv: got %v, want %s…", err, want)
	}
	_, err = hutong(t, nil, "xyzzy")
	if err == nil || strings.Contains(err.Error(), "是否指") || !strings.Contains(err.Error(), "可用的命令") {
		t.Errorf("hutong xyzzy: got %v, want the commands without a guess", err)
	}
}

// TestAdminSmallMessages: app rotate's -grace out of range reads in hours
// (1000 小时), not Go's 1000h0m0s; department-create with a credit code
// whose check character is wrong warns once; user create reads a password
// from a pipe without a prompt. On both engines.
func TestAdminSmallMessages(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn, "HUTONG_PASSWORD": "Correct-Horse-9"}
		must := mustHutong(t, vars)
		must("migrate")
		must("org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province")
		_, err := hutong(t, vars, "app", "rotate", "-id", "1", "-grace", "1000h")
		if want := "-grace 1000 小时：应为 0（旧密钥立即吊销）到 720 小时"; err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("app rotate -grace 1000h: got %v, want %s…", err, want)
		}
		stdout, stderr, err := hutongApart(t, vars, "org", "department-create", "-name", "广东省政务服务和数据管理局", "-uscc", "91350100M0001TGQXM", "-region", "440000", "-operator")
		if err != nil || strings.Count(stderr, "注意：") != 1 {
			t.Errorf("department-create with a wrong check character: %v, want one warning:\n%s%s", err, stdout, stderr)
		}
	})
}

// TestReadPasswordPipe: a password read from a pipe is read without the
// prompt, which no one would see.
func TestReadPasswordPipe(t *testing.T) {
	var stderr testlog.Buffer
	e := &env{Stderr: &stderr, Getenv: func(string) string { return "" }}
	pw, err := readPassword(context.Background(), e, "HUTONG_PASSWORD", strings.NewReader("Correct-Horse-9\n"))
	if err != nil || pw != "Correct-Horse-9" || stderr.String() != "" {
		t.Errorf("password from a pipe: %q %v, stderr %q, want it without a prompt", pw, err, stderr.String())
	}
}

// TestREADMEEnvVariables: every environment variable a command reads is
// in README's configuration section, where HUTONG_DEPARTMENT was not.
func TestREADMEEnvVariables(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	read := regexp.MustCompile(`(?:envOr|envInt|envBool|Getenv)\((?:e, )?"(HUTONG_[A-Z_]+)"`)
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range read.FindAllStringSubmatch(string(src), -1) {
			seen++
			if !strings.Contains(string(readme), "`"+m[1]+"`") {
				t.Errorf("%s reads %s, which README does not name", f, m[1])
			}
		}
	}
	if seen < 5 {
		t.Errorf("found %d reads of HUTONG_ variables, want the commands' reads", seen)
	}
}

// TestCanceledMessage: a cancellation a command did not word keeps the
// command's Chinese words before Go's "context canceled", and drops Go's.
func TestCanceledMessage(t *testing.T) {
	for m, want := range map[string]string{
		"load records: context canceled": "已取消：命令被中断，未执行完",
		"填充演示记录（再次运行 hutong demo 即可补全）：数据资源 101001/000001 的演示记录：context canceled": "填充演示记录（再次运行 hutong demo 即可补全）：数据资源 101001/000001 的演示记录：已取消",
	} {
		if got := canceledMessage(m); got != want {
			t.Errorf("canceledMessage(%q) = %q, want %q", m, got, want)
		}
	}
}

// TestCanceledAnyCause: once Ctrl-C canceled the command, its failure is
// the cancellation whatever the driver said (sql: connection is already
// closed on PostgreSQL), and exits with 130.
func TestCanceledAnyCause(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(interrupted{syscall.SIGINT})
	err := canceledAs(ctx, fmt.Errorf("insert record versions: %w", errors.New("sql: connection is already closed")), "导入已取消")
	if message(err) != "导入已取消" || exitCode(ctx, err) != 130 {
		t.Errorf("got %q, exit status %d, want 导入已取消, 130", message(err), exitCode(ctx, err))
	}
}
