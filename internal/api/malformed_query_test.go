package api_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMalformedEscapeRefused: a query pair holding a percent-escape Go
// cannot decode (a % not followed by two hexadecimal digits), which
// url.ParseQuery drops whole, is refused (400 invalid_query, its detail
// naming the pair) rather than read as no such parameter: a catalog list
// ?department_id=N% listed the whole catalog, a record read at a past
// time ?at=…% served the current values, an audit list ?actor=…% every
// actor's rows, and a misspelt or repeated parameter whose value was
// malformed escaped unknown_parameter and repeated_parameter. Nothing is
// read or audited. A % written as %25 is a value's character.
func TestMalformedEscapeRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		entry := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		subject := recordstest.CitizenID(8100)
		if r := rf.do(t, "POST", entry+"/ops", rf.gaKey, opLine("add", subject, beijing(rf.clock.Now().Add(-time.Hour)),
			map[string]string{"姓名": "张三", "登记日期": "2026-03-01"})); r.status != 201 {
			t.Fatalf("push: %d %v", r.status, r.body)
		}
		dept := strconv.FormatInt(rf.gaID, 10)
		if r := rf.do(t, "GET", "/api/v1/catalog/entries?department_id="+dept, rf.gaCatalogKey, ""); r.status != 200 || r.body["total"] != 1.0 {
			t.Fatalf("list of department %s: %d %v, want its one entry", dept, r.status, r.body)
		}
		before := rf.countWhere(t, `SELECT count(*) FROM audit_log`)
		for _, c := range []struct{ path, key, pair string }{
			{"/api/v1/catalog/entries?department_id=" + dept + "%", rf.gaCatalogKey, "department_id=" + dept + "%"},
			{"/api/v1/catalog/entries?q=100%", rf.gaCatalogKey, "q=100%"},
			{"/api/v1/catalog/entries?depatment_id=%zz", rf.gaCatalogKey, "depatment_id=%zz"},
			{"/api/v1/catalog/entries?q=x&q=%zz", rf.gaCatalogKey, "q=%zz"},
			{"/api/v1/catalog/entries?sort=name&%E4%B8%80%=1", rf.gaCatalogKey, "%E4%B8%80%=1"},
			{"/api/v1/audit?actor=test%", rf.opKey, "actor=test%"},
			{entry + "/subjects/" + subject + "?purpose=核验&at=2020-01-01T00:00:00Z%", rf.gaKey, "at=2020-01-01T00:00:00Z%"},
		} {
			r := rf.do(t, "GET", c.path, c.key, "")
			if detail, _ := r.body["detail"].(string); r.status != 400 || r.body["code"] != "invalid_query" ||
				!strings.Contains(detail, c.pair) || !strings.Contains(detail, "%25") {
				t.Errorf("%s: got %d %v %q (total %v), want 400 invalid_query naming %s", c.path, r.status, r.body["code"], detail, r.body["total"], c.pair)
			}
		}
		if after := rf.countWhere(t, `SELECT count(*) FROM audit_log`); after != before {
			t.Errorf("refused requests wrote %d audit rows", after-before)
		}
		if r := rf.do(t, "GET", "/api/v1/catalog/entries?q=100%25", rf.gaCatalogKey, ""); r.status != 200 {
			t.Errorf("?q=100%%25: got %d %v, want 200", r.status, r.body["code"])
		}
	})
}
