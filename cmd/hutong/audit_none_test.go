package main

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditListNoneUnfiltered: audit list of an empty audit log, with no
// filter given (-limit and -format are none), says 没有审计记录, as app
// list says 没有应用, where it said 没有符合条件的审计记录 of conditions no one
// gave; with a filter it still says 没有符合条件的审计记录. On both engines.
func TestAuditListNoneUnfiltered(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn, "HUTONG_PASSWORD": "Correct-Horse-9", "USER": "tester"}
		mustHutong(t, vars)("migrate")
		for _, c := range []struct {
			args           []string
			stdout, stderr string
		}{
			{[]string{"audit", "list", "-format", "json", "-limit", "10"}, "", "没有审计记录\n"},
			{[]string{"audit", "list", "-format", "json", "-outcome", "failed"}, "", "没有符合条件的审计记录\n"},
		} {
			out, errOut, err := hutongApart(t, vars, c.args...)
			if err != nil || out != c.stdout || errOut != c.stderr {
				t.Errorf("%v: %v, standard output %q, standard error %q; want %q", c.args, err, out, errOut, c.stderr)
			}
		}
	})
}
