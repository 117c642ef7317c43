package main

import (
	"strings"
	"testing"
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
		{[]string{"app", "create"}, "-name, -department, -scopes are required"},
		{[]string{"app", "create", "-name", "审批系统", "-scopes", "data.read"}, "-department is required"},
		{[]string{"app", "show"}, "-id is required"},
		{[]string{"app", "show", "3"}, "unexpected argument 3 (values are given with their flags, as -id 3)"},
		{[]string{"app", "rotate", "-grace", "1h"}, "-id is required"},
		{[]string{"app", "revoke"}, "-id is required"},
		{[]string{"app", "revoke-key"}, "-key is required"},
		{[]string{"user", "create", "-username", "zhang.san", "-name", "张三", "-department", "1"}, "-role is required"},
		{[]string{"user", "create", "-username", "zhang.san", "-name", "张三", "-department", "1", "-role", "boss"},
			"-role: want operator, dept_admin, reviewer or auditor"},
		{[]string{"user", "passwd"}, "-username is required"},
		{[]string{"user", "disable"}, "-username is required"},
		{[]string{"records", "quality", "-by", "departments"}, `-by "departments": want entry or department`},
	} {
		out, err := hutong(t, vars, c.args...)
		if err == nil || err.Error() != c.want {
			t.Errorf("hutong %s: got %v, want %q\n%s", strings.Join(c.args, " "), err, c.want, out)
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
