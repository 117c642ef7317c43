package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepanciesStatusAll: GET /records/discrepancies takes status=all,
// as the console's filter does for 全部: every status, as without a status;
// an unknown status is still refused.
func TestDiscrepanciesStatusAll(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		b := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryB, 10)
		at := beijing(t0.Add(-time.Minute))
		// Two differences; one resolved by 公安, the authoritative source.
		for _, n := range []int{4300, 4301} {
			s := recordstest.CitizenID(n)
			if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", s, at, map[string]string{"姓名": "张三"})); r.status != 201 {
				t.Fatalf("push to 公安: %d %v", r.status, r.body)
			}
			if r := rf.do(t, "POST", b+"/ops", rf.mzKey, opLine("add", s, at, map[string]string{"姓名": "张叁"})); r.status != 201 {
				t.Fatalf("push to 民政: %d %v", r.status, r.body)
			}
		}
		list := func(query string) []any {
			t.Helper()
			r := rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=%E6%A0%B8%E9%AA%8C"+query, rf.gaKey, "")
			if r.status != 200 {
				t.Fatalf("discrepancies%s: got %d %v, want 200", query, r.status, r.body)
			}
			ds, _ := r.body["discrepancies"].([]any)
			return ds
		}
		ds := list("")
		if len(ds) != 2 {
			t.Fatalf("discrepancies: %v, want 2", ds)
		}
		id := jsonNumber(ds[0].(map[string]any)["id"])
		if r := rf.do(t, "POST", "/api/v1/records/discrepancies/"+id+"/resolve", rf.gaKey, `{"note":"以户籍登记为准"}`); r.status != 200 {
			t.Fatalf("resolve: %d %v", r.status, r.body)
		}
		for query, want := range map[string]int{"": 2, "&status=all": 2, "&status=open": 1, "&status=awaiting_correction": 1, "&status=resolved": 0} {
			if ds := list(query); len(ds) != want {
				t.Errorf("discrepancies%s: %d, want %d: %v", query, len(ds), want, ds)
			}
		}
		if r := rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=x&status=All", rf.gaKey, ""); r.status != 400 || r.body["code"] != "invalid_status" {
			t.Errorf("status=All: got %d %v, want 400 invalid_status", r.status, r.body)
		}
	})
}
