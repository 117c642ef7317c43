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
		!strings.Contains(err.Error(), missing+" does not exist") {
		t.Errorf("--db before the command does not override HUTONG_DB: %v", err)
	}
	if _, err := hutong(t, nil, "--db", missing, "serve", "--addr", "127.0.0.1:0"); err == nil ||
		!strings.Contains(err.Error(), missing+" does not exist") {
		t.Errorf("hutong --db %s serve: got %v, want the missing database named", missing, err)
	}
	if _, err := hutong(t, nil, "--addr", "127.0.0.1:0", "--log-format", "xml", "serve", "-db", path); err == nil ||
		!strings.Contains(err.Error(), `-log-format "xml"`) {
		t.Errorf("--log-format before serve not read: %v", err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", ":1", "app", "list"}, "app does not take --addr before the command"},
		{[]string{"--db", path, "bench"}, "bench does not take --db before the command"},
		{[]string{"--db", path, "ident", "11010519491231002X"}, "ident does not take --db before the command"},
		{[]string{"--department", "1", "app", "list"}, "unknown flag --department before the command"},
		{[]string{"--db"}, "--db needs a value"},
		{[]string{"--db", "migrate"}, `--db needs a value, as in hutong --db VALUE COMMAND ("migrate" was taken as its value`}, // hutong --db $DB migrate, DB unset
		{[]string{"--db", "app", "list"}, `("app" was taken as its value`},
		{[]string{"--addr", "serve", "-db", path}, `--addr needs a value`},
		{[]string{"--migrate=yes", "serve"}, "--migrate=yes: want true or false"},
		{[]string{"app", "--db", path, "list"}, "the verb comes before the flags: hutong app VERB [flags]"},
	} {
		out, err := hutong(t, nil, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("hutong %s: got %v, want %q\n%s", strings.Join(c.args, " "), err, c.want, out)
		}
	}
	if out, err := hutong(t, nil, "help"); err != nil || !strings.Contains(out, "hutong [--db DSN] COMMAND") ||
		!strings.Contains(out, "hutong --db FILE app") {
		t.Errorf("hutong help does not say --db may come first: %v\n%s", err, out)
	}
	if out, err := hutong(t, nil, "--db", path, "help", "app"); err != nil || !strings.Contains(out, "Usage: hutong app") {
		t.Errorf("hutong --db X help app: %v\n%s", err, out)
	}
}
