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

// TestCanceledCommand: a command stopped by Ctrl-C says so in Chinese, with
// what it kept, where it said "load records: context canceled"; the
// process exits with 128 + the signal's number (130 for SIGINT). On both
// engines.
func TestCanceledCommand(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		recordstest.Entry(t, db, recordstest.Department(t, db, "公安分局", 1), hujiSpec)
		in := filepath.Join(t.TempDir(), "ops.jsonl")
		if err := os.WriteFile(in, []byte(addLine(recordstest.CitizenID(0), "张三")), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(interrupted{syscall.SIGINT})
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"import", "records", "-entry", "101001/000001", "-file", in}, "导入已取消：整批在一个事务中，未导入任何数据"},
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
// findings were saved, as its pages commit one by one.
func TestCanceledSweepKept(t *testing.T) {
	msg := sweepCanceled(records.SweepResult{Pairs: 3, Compared: 1200, Found: 4, Resolved: 2})
	want := "多源校核已取消：已比对 3 对数据资源中的 1200 个数据主体，新发现差异 4 处、消除 2 处，均已保存；再次运行 hutong records crosscheck 会从头比对"
	if msg != want {
		t.Errorf("got %q, want %q", msg, want)
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
		in := filepath.Join(t.TempDir(), "ops.jsonl")
		if err := os.WriteFile(in, []byte(addLine(recordstest.CitizenID(0), "张三")), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := hutong(t, vars, "import", "records", "-entry", "101001/000001", "-file", in)
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
		{[]string{"import", "recods"}, `未知类型 "recods"，可用的类型：catalog、records（用法见 hutong import -h）`},
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
