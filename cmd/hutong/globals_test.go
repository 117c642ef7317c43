package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGlobalFlagsBeforeCommand: --db (and the server flags of serve and
// demo) may come before the command; a flag after the command wins; a
// flag the command does not take there, an unknown one, and flags before a
// verb are refused with a sentence, not "unknown command".
func TestGlobalFlagsBeforeCommand(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "h.db")
	mustHutong(t, nil)("--db", path, "migrate")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("hutong --db %s migrate did not create it: %v", path, err)
	}
	for _, args := range [][]string{
		{"--db", path, "app", "list"},
		{"-db", path, "user", "list"},
		{"--db=" + path, "org", "list"},
		{"--db", filepath.Join(dir, "other.db"), "audit", "verify", "-db", path}, // the flag after the command wins
	} {
		if out, err := hutong(t, nil, args...); err != nil {
			t.Errorf("hutong %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// A global flag overrides the environment variable.
	missing := filepath.Join(dir, "missing.db")
	if _, err := hutong(t, map[string]string{"HUTONG_DB": path}, "--db", missing, "app", "list"); err == nil ||
		!strings.Contains(err.Error(), "数据库 "+missing+" 不存在") {
		t.Errorf("--db before the command does not override HUTONG_DB: %v", err)
	}
	if _, err := hutong(t, nil, "--db", missing, "serve", "--addr", "127.0.0.1:0"); err == nil ||
		!strings.Contains(err.Error(), "数据库 "+missing+" 不存在") {
		t.Errorf("hutong --db %s serve: got %v, want the missing database named", missing, err)
	}
	if _, err := hutong(t, nil, "--addr", "127.0.0.1:0", "--log-format", "xml", "serve", "-db", path); err == nil ||
		!strings.Contains(err.Error(), `-log-format “xml”`) {
		t.Errorf("--log-format before serve not read: %v", err)
	}
	// --dev too: the test runs outside the repository root, where the
	// server cannot start with it (without it, serve would start).
	if _, err := hutong(t, nil, "--dev", "serve", "-db", path, "--addr", "127.0.0.1:0"); err == nil ||
		strings.Contains(err.Error(), "命令前") {
		t.Errorf("--dev before serve not read: %v", err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", ":1", "app", "list"}, "app 命令前不能有 --addr"},
		{[]string{"--dev", "app", "list"}, "app 命令前不能有 --dev"},
		{[]string{"--db", path, "bench"}, "bench 命令前不能有 --db"},
		{[]string{"--db", path, "ident", "11010519491231002X"}, "ident 命令前不能有 --db"},
		{[]string{"--department", "1", "app", "list"}, "命令前不能有参数 --department"},
		{[]string{"--db"}, "--db 需要一个值"},
		{[]string{"--db", "migrate"}, `--db 需要一个值，如 hutong --db VALUE COMMAND（“migrate”被当作了它的值`}, // hutong --db $DB migrate, DB unset
		{[]string{"--db", "app", "list"}, `（“app”被当作了它的值`},
		{[]string{"--addr", "serve", "-db", path}, `--addr 需要一个值`},
		{[]string{"--migrate=yes", "serve"}, "--migrate=yes：应为 true 或 false"},
		{[]string{"app", "--db", path, "list"}, "子命令应写在参数之前：hutong app VERB [flags]"},
	} {
		out, err := hutong(t, nil, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("hutong %s: got %v, want %q\n%s", strings.Join(c.args, " "), err, c.want, out)
		}
	}
	if out, err := hutong(t, nil, "help"); err != nil || !strings.Contains(out, "hutong [--db DSN] COMMAND") ||
		!strings.Contains(out, "hutong --db FILE app") || !strings.Contains(out, "--migrate and --dev") {
		t.Errorf("hutong help does not say --db may come first: %v\n%s", err, out)
	}
	if out, err := hutong(t, nil, "--db", path, "help", "app"); err != nil || !strings.Contains(out, "Usage: hutong app") {
		t.Errorf("hutong --db X help app: %v\n%s", err, out)
	}
}
