package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestRequiredFlags: a forgotten flag is named as such, before any
// database is opened or password asked for, instead of being looked up as
// an empty name or id; a value without its flag is refused, not ignored,
// and so is a -by that quality does not know (it listed entries).
func TestRequiredFlags(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": t.TempDir() + "/none.db"} // never opened
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"app", "create"}, "必须指定 -name、-department、-scopes"},
		{[]string{"app", "create", "-name", "审批系统", "-scopes", "data.read"}, "必须指定 -department"},
		{[]string{"app", "show"}, "必须指定 -id"},
		{[]string{"app", "show", "3"}, "多余的参数 3（值要跟在参数名之后，如 -名称 值；用法见 hutong app show -h）"},
		{[]string{"app", "rotate", "-grace", "1h"}, "必须指定 -id"},
		{[]string{"app", "revoke"}, "必须指定 -id"},
		{[]string{"app", "revoke-key"}, "必须指定 -key"},
		{[]string{"user", "create", "-username", "zhang.san", "-name", "张三", "-department", "1"}, "必须指定 -role"},
		{[]string{"user", "create", "-username", "zhang.san", "-name", "张三", "-department", "1", "-role", "boss"},
			"-role：应为 operator、dept_admin、reviewer 或 auditor"},
		{[]string{"user", "password"}, "必须指定 -username"},
		{[]string{"user", "passwd"}, "必须指定 -username"},
		{[]string{"user", "disable"}, "必须指定 -username"},
		{[]string{"records", "quality", "-by", "departments"}, `-by “departments”：应为 entry 或 department`},
	} {
		out, err := hutong(t, vars, c.args...)
		if err == nil || err.Error() != c.want {
			t.Errorf("hutong %s: got %v, want %q\n%s", strings.Join(c.args, " "), err, c.want, out)
		}
	}
}

// TestUnknownCommand: a command that does not exist is named with the
// commands that do, in one error, without the whole usage before it.
func TestUnknownCommand(t *testing.T) {
	for _, args := range [][]string{{"licence", "-h"}, {"help", "licence"}} {
		out, err := hutong(t, nil, args...)
		if err == nil || !strings.HasPrefix(err.Error(), `未知命令“licence”，可用的命令：app、audit、`) || out != "" {
			t.Errorf("hutong %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestHelpOfHelp: "hutong help -h" prints the usage, as "hutong help" does,
// and the usage lists every verb of app.
func TestHelpOfHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		out, err := hutong(t, nil, "help", arg)
		if err != nil || !strings.Contains(out, "Usage: hutong [--db DSN] COMMAND") {
			t.Errorf("hutong help %s: %v\n%s", arg, err, out)
		}
	}
	out, _ := hutong(t, nil, "help")
	for _, verb := range []string{"create", "list", "show", "rotate", "revoke", "revoke-key"} {
		if !strings.Contains(out, verb) {
			t.Errorf("hutong help does not list app %s:\n%s", verb, out)
		}
	}
}

// argsCommands are the commands that take arguments after their flags.
var argsCommands = map[string]bool{"ident": true, "calendar": true}

// TestStrayArguments: every command and verb, as its usage lists them,
// refuses a word left after its flags, before it opens (or creates) a
// database, instead of ignoring it with the flags after it: the flag
// package stops at the first word that is not a flag, so that
// "audit list x -action auth.login" listed every action and "migrate x
// -db target.db" migrated ./hutong.db.
func TestStrayArguments(t *testing.T) {
	db := t.TempDir() + "/none.db"
	vars := map[string]string{"HUTONG_DB": db}
	verbsOf := regexp.MustCompile(`(?m)^(?:Verbs|Kinds):\n((?:.+\n)+)`)
	verb := regexp.MustCompile(`(?m)^  ([a-z][a-z-]*)`)
	for name := range commands() {
		if argsCommands[name] {
			continue
		}
		usage, err := hutong(t, vars, name, "-h")
		if err != nil {
			t.Fatalf("hutong %s -h: %v", name, err)
		}
		calls := [][]string{{name}}
		if m := verbsOf.FindStringSubmatch(usage); m != nil {
			calls = nil
			for _, v := range verb.FindAllStringSubmatch(m[1], -1) {
				calls = append(calls, []string{name, v[1]})
			}
		}
		for _, call := range calls {
			// Cancelled, so that a command that took the word for
			// nothing stops at once (serve, bench) instead of running.
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			args := append(call, "x", "-limit", "5")
			var out testlog.Buffer
			err := run(ctx, args, func(k string) string { return vars[k] }, &out, &out)
			if err == nil || !strings.HasPrefix(err.Error(), "多余的参数 x（") {
				t.Errorf("hutong %s: got %v, want 多余的参数 x\n%s", strings.Join(args, " "), err, out.String())
			}
		}
	}
	for _, args := range [][]string{
		{"audit", "verify", "92:" + strings.Repeat("0", 64)},
		{"audit", "verify", "x", "-anchor", "92:" + strings.Repeat("0", 64)},
		{"migrate", "-status", "x"},
		{"backup", "extra"},
	} {
		if _, err := hutong(t, vars, args...); err == nil || !strings.HasPrefix(err.Error(), "多余的参数 ") {
			t.Errorf("hutong %s: got %v, want 多余的参数", strings.Join(args, " "), err)
		}
	}
	if _, err := os.Stat(db); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused command created %s (%v)", db, err)
	}
}
