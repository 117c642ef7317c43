package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOrgPageMarksInvalidCode: a department stored before eighteen digits
// with a wrong check character were refused keeps its code, and the
// departments' list marks it beside the code for the operator to check;
// the departments with valid codes are not marked.
func TestOrgPageMarksInvalidCode(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		if _, err := db.Write().ExecContext(t.Context(), `INSERT INTO departments (name, short_name, uscc, region_code, is_operator, created_at)
			VALUES ('南海区旧数字代码单位', '', '114406051154099990', '440605', false, $1)`, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		c := f.client(t)
		c.login("operator")
		r := c.get("/org")
		wantStatus(t, "GET /org", r, http.StatusOK)
		const mark = "统一社会信用代码校验位有误，请核对"
		if n := strings.Count(r.Body, mark); n != 1 {
			t.Errorf("GET /org: %d marks, want 1 (the department stored with 114406051154099990)", n)
		}
		if !strings.Contains(r.Body, `<td class="mono">114406051154099990 <span class="tag tag-warn"`) {
			t.Errorf("GET /org: the mark is not beside 114406051154099990\n%s", r.Body)
		}
		for name, d := range f.depts {
			if !strings.Contains(r.Body, `<td class="mono">`+d.USCC+`</td>`) {
				t.Errorf("GET /org: %s's code %s is not shown unmarked", name, d.USCC)
			}
		}
	})
}
