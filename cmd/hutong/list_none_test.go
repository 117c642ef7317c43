package main

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestListNoneFound: a list command that finds nothing says so under its
// header (没有符合条件的账号), as records batches says 没有批次, where it
// printed the header alone; audit list -format json prints no line on
// standard output and says it on standard error. A list with rows says
// nothing of the kind. On both engines.
func TestListNoneFound(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars, must := mustNanhaiBureau(t, dsn)
		must("user", "create", "-username", "nh.op", "-name", "主管", "-department", "1", "-role", "operator")
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"user", "list", "-q", "不存在xyz"}, "没有符合条件的账号"},
			{[]string{"app", "list", "-q", "xyz"}, "没有符合条件的应用"},
			{[]string{"app", "list"}, "没有应用"},
			{[]string{"org", "list", "-q", "xyz"}, "没有符合条件的部门"},
			{[]string{"audit", "list", "-actor", "nobody"}, "没有符合条件的审计记录"},
			{[]string{"records", "batches"}, "没有批次"},
		} {
			out, errOut, err := hutongApart(t, vars, c.args...)
			if err != nil || !strings.HasSuffix(out, "\n"+c.want+"\n") || errOut != "" {
				t.Errorf("%s: %v\n%s\nstandard error: %s\nwant it to end with %s", strings.Join(c.args, " "), err, out, errOut, c.want)
			}
		}
		out, errOut, err := hutongApart(t, vars, "audit", "list", "-actor", "nobody", "-format", "json")
		if err != nil || out != "" || errOut != "没有符合条件的审计记录\n" {
			t.Errorf("audit list -format json of nothing: %v, standard output %q, standard error %q", err, out, errOut)
		}
		for _, args := range [][]string{{"user", "list"}, {"org", "list"}, {"audit", "list"}} {
			if out := must(args...); strings.Contains(out, "没有") {
				t.Errorf("%s says none:\n%s", strings.Join(args, " "), out)
			}
		}
	})
}
