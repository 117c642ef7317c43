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
		{[]string{"app", "create"}, "必须指定 -name、-department、-scopes"},
		{[]string{"app", "create", "-name", "审批系统", "-scopes", "data.read"}, "必须指定 -department"},
		{[]string{"app", "show"}, "必须指定 -id"},
		{[]string{"app", "show", "3"}, "多余的参数 3（值要跟在参数名之后，如 -id 3）"},
		{[]string{"app", "rotate", "-grace", "1h"}, "必须指定 -id"},
		{[]string{"app", "revoke"}, "必须指定 -id"},
		{[]string{"app", "revoke-key"}, "必须指定 -key"},
		{[]string{"user", "create", "-username", "zhang.san", "-name", "张三", "-department", "1"}, "必须指定 -role"},
		{[]string{"user", "create", "-username", "zhang.san", "-name", "张三", "-department", "1", "-role", "boss"},
			"-role：应为 operator、dept_admin、reviewer 或 auditor"},
		{[]string{"user", "password"}, "必须指定 -username"},
		{[]string{"user", "passwd"}, "必须指定 -username"},
		{[]string{"user", "disable"}, "必须指定 -username"},
		{[]string{"records", "quality", "-by", "departments"}, `-by "departments"：应为 entry 或 department`},
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
