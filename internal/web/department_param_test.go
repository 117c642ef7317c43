package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOtherDepartmentRefused: a department administrator who names
// another department's id on the batches page is refused 403 (forbidden),
// as the API refuses it, where the console answered with its own
// department's; its own id, or none, is served, and the operator names
// any department. The catalog export, as the API's, serves any
// department's (TestCatalogExportAsListed). A status the export does not have is
// refused (invalid_status) as the API refuses it, and so is an audit
// page cursor not as a page wrote it (before=007, invalid_cursor). On
// both engines.
func TestOtherDepartmentRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		own, other := strconv.FormatInt(f.depts["市场监管局"].ID, 10), strconv.FormatInt(f.depts["公安分局"].ID, 10)
		admin := f.loggedIn(t, "market.admin")
		r := admin.get("/records/batches?department_id=" + other)
		wantStatus(t, "another department's batches", r, http.StatusForbidden)
		wantBody(t, "another department's batches", r, "只能", "本部门", "错误代码 forbidden")
		for _, path := range []string{"/records/batches?department_id=" + own, "/records/batches",
			"/catalog/export?format=jsonl&department_id=" + own + "&status=draft", "/catalog/export?format=csv",
			"/catalog/export?format=jsonl&department_id=" + other + "&status=draft"} {
			wantStatus(t, path, admin.get(path), http.StatusOK)
		}
		for _, path := range []string{"/records/batches?department_id=x", "/catalog/export?format=csv&department_id=-1"} {
			r := admin.get(path)
			wantStatus(t, path, r, http.StatusBadRequest)
			wantBody(t, path, r, "错误代码 invalid_number")
		}
		r = admin.get("/catalog/export?format=csv&status=bogus")
		wantStatus(t, "status=bogus", r, http.StatusBadRequest)
		wantBody(t, "status=bogus", r, "错误代码 invalid_status")

		op := f.loggedIn(t, "operator")
		for _, path := range []string{"/records/batches?department_id=" + other, "/catalog/export?format=jsonl&department_id=" + other} {
			wantStatus(t, path, op.get(path), http.StatusOK)
		}

		aud := f.loggedIn(t, "auditor")
		for _, before := range []string{"007", "+7", "0", "-1", "x"} {
			r := aud.get("/audit?before=" + before)
			wantStatus(t, "before="+before, r, http.StatusBadRequest)
			wantBody(t, "before="+before, r, "invalid_cursor")
		}
		wantStatus(t, "before=7", aud.get("/audit?before=7"), http.StatusOK)
	})
}
