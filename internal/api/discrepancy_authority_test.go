package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOpenDiscrepancyAuthority: an open discrepancy carries, as
// authoritative_entry_id, the entry the catalog names as the item's source
// (公安's), in the list and in a feedback's answer, as the OpenAPI
// document says and as a read's disputed item does, so that a client
// knows whose department decides; a resolution's entry once resolved.
func TestOpenDiscrepancyAuthority(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		b := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryB, 10)
		entryA := strconv.FormatInt(rf.entryA, 10)
		at := beijing(t0.Add(-time.Minute))
		s := recordstest.CitizenID(4310)
		if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", s, at, map[string]string{"姓名": "张三"})); r.status != 201 {
			t.Fatalf("push to 公安: %d %v", r.status, r.body)
		}
		if r := rf.do(t, "POST", b+"/ops", rf.mzKey, opLine("add", s, at, map[string]string{"姓名": "张叁"})); r.status != 201 {
			t.Fatalf("push to 民政: %d %v", r.status, r.body)
		}
		r := rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=%E6%A0%B8%E9%AA%8C", rf.mzKey, "")
		ds, _ := r.body["discrepancies"].([]any)
		if r.status != 200 || len(ds) != 1 {
			t.Fatalf("discrepancies: %d %v, want 1", r.status, r.body)
		}
		d := ds[0].(map[string]any)
		if d["status"] != "open" || jsonNumber(d["authoritative_entry_id"]) != entryA {
			t.Errorf("open discrepancy: %v, want authoritative_entry_id %s", d, entryA)
		}
		disc := "/api/v1/records/discrepancies/" + jsonNumber(d["id"])
		r = rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"核实中"}`)
		if r.status != 200 || r.body["status"] != "open" || jsonNumber(r.body["authoritative_entry_id"]) != entryA {
			t.Errorf("feedback: %d %v, want open with authoritative_entry_id %s", r.status, r.body, entryA)
		}
		// 民政's feedback contests 公安's value: 公安 may no longer settle
		// it; the operator does.
		r = rf.do(t, "POST", disc+"/resolve", rf.gaKey, `{"note":"以户籍登记为准"}`)
		if r.status != 409 || r.body["code"] != "discrepancy_disputed" {
			t.Errorf("resolve by 公安 after 民政's feedback: %d %v, want 409 discrepancy_disputed", r.status, r.body)
		}
		r = rf.do(t, "POST", disc+"/resolve", "", `{"note":"以户籍登记为准"}`, rf.session(t, "nh.op")...)
		if r.status != 200 || r.body["status"] != "awaiting_correction" || jsonNumber(r.body["authoritative_entry_id"]) != entryA {
			t.Errorf("resolve: %d %v, want authoritative_entry_id %s", r.status, r.body, entryA)
		}
	})
}
