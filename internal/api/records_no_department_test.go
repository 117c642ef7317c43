package api_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsListsOfNoDepartment: the records lists filtered by a
// department_id that names no department answer 404 department_not_found,
// for the operator and for a department's caller alike, as the console's
// pages do, where they answered 200 with an empty list as if the
// department had no batches, stale entries or discrepancies. An existing
// department still lists. On both engines.
func TestRecordsListsOfNoDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		op, admin := rf.session(t, "nh.op"), rf.session(t, "mz.admin")
		purpose := "&purpose=" + url.QueryEscape("核查多源差异")
		for _, p := range []string{"/api/v1/records/batches?department_id=999999", "/api/v1/records/stale?department_id=999999",
			"/api/v1/records/quality?department_id=999999", "/api/v1/records/quality?by=department&department_id=999999",
			"/api/v1/records/discrepancies?department_id=999999" + purpose} {
			for who, hdr := range map[string][]string{"operator": op, "department administrator": admin} {
				if r := rf.do(t, "GET", p, "", "", hdr...); r.status != 404 || r.body["code"] != "department_not_found" {
					t.Errorf("%s, %s: %d %v, want 404 department_not_found", p, who, r.status, r.body)
				}
			}
			if r := rf.do(t, "GET", p, rf.gaKey, ""); r.status != 404 || r.body["code"] != "department_not_found" {
				t.Errorf("%s, an app: %d %v, want 404 department_not_found", p, r.status, r.body)
			}
		}
		mz := strconv.FormatInt(rf.mzID, 10)
		for _, p := range []string{"/api/v1/records/batches?department_id=" + mz, "/api/v1/records/stale?department_id=" + mz,
			"/api/v1/records/quality?department_id=" + mz, "/api/v1/records/discrepancies?department_id=" + mz + purpose} {
			if r := rf.do(t, "GET", p, "", "", op...); r.status != 200 {
				t.Errorf("%s, operator: %d %v, want 200", p, r.status, r.body)
			}
		}
	})
}
