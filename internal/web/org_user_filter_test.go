package web_test

import (
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOrgUsersFilter: the operator's accounts list on 部门与账号 is
// filtered by department (named as a department field names one) and by
// status (enabled or disabled); the search form keeps the filters, an
// unknown status is refused.
func TestOrgUsersFilter(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		if err := db.Tx(t.Context(), func(tx *sqldb.Tx) error {
			_, err := org.SetDisabledIf(t.Context(), tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"}, f.users["locked"].ID, true, nil, f.clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		op := f.loggedIn(t, "operator")
		r := op.get("/org?user_status=disabled")
		wantStatus(t, "disabled accounts", r, http.StatusOK)
		wantBody(t, "disabled accounts", r, "周锁定", `<option value="disabled" selected>`)
		wantNoBody(t, "disabled accounts", r, "李管理", "赵审核")
		market := f.depts["市场监管局"]
		r = op.get("/org?user_dept=" + market.ShortName + "&user_status=enabled")
		wantStatus(t, "a department's enabled accounts", r, http.StatusOK)
		wantBody(t, "a department's enabled accounts", r, "陈管理", `name="user_dept" value="`+market.ShortName+`"`)
		wantNoBody(t, "a department's enabled accounts", r, "李管理", "周锁定")
		wantStatus(t, "an unknown status", op.get("/org?user_status=gone"), http.StatusBadRequest)
		// A department typed that names none (part of a name, a typo) is
		// told beside the filter, the page and its lists kept, the
		// accounts not filtered by department.
		r = op.get("/org?user_dept=%E5%8D%97%E6%B5%B7")
		wantStatus(t, "an unknown department", r, http.StatusNotFound)
		wantBody(t, "an unknown department", r, `id="departments"`, `id="user-filter"`, "陈管理", "李管理",
			`name="user_dept" value="南海"`, `aria-invalid="true"`, `<span class="field-error" id="user-dept-filter-error">部门不存在：南海`)
	})
}
