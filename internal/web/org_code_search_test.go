package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOrgSearchByCode: the departments' search of /org finds a department
// by its whole unified social credit code, in any case and with spaces
// around, where it matched names alone and found none. On both engines.
func TestOrgSearchByCode(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.loggedIn(t, "operator")
		code := f.depts["公安分局"].USCC
		for _, q := range []string{code, " " + strings.ToLower(code) + " "} {
			r := c.get("/org?dept_q=" + url.QueryEscape(q))
			wantStatus(t, "dept_q="+q, r, http.StatusOK)
			if got := matches(usccCellRE, r.Body); !slices.Equal(got, []string{code}) {
				t.Errorf("dept_q=%q: got %v, want [%s]", q, got, code)
			}
			wantBody(t, "dept_q="+q, r, "共 1 个，统一社会信用代码为 "+code, "佛山市公安局南海分局")
		}
		r := c.get("/org?dept_q=" + url.QueryEscape("公安"))
		wantBody(t, "dept_q=公安", r, "共 1 个，名称含“公安”")
	})
}
