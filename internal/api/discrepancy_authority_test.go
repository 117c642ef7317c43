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
// Feedback disputes only with "disputed": true (until 2026-12-05 any
// feedback of the other side did): only then is the source's department
// refused and the discrepancy listed in the operator's ?status=disputed.
// A feedback without "disputed" keeps the side's position (until
// 2026-12-05 it withdrew a dispute); false withdraws it.
func TestOpenDiscrepancyAuthority(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		entryA := strconv.FormatInt(rf.entryA, 10)
		d := rf.nameDiscrepancy(t, recordstest.CitizenID(4310))
		if d["status"] != "open" || jsonNumber(d["authoritative_entry_id"]) != entryA {
			t.Errorf("open discrepancy: %v, want authoritative_entry_id %s", d, entryA)
		}
		disc := "/api/v1/records/discrepancies/" + jsonNumber(d["id"])
		op := rf.session(t, "nh.op")
		queue := func(what string, want int) {
			t.Helper()
			r := rf.do(t, "GET", "/api/v1/records/discrepancies?status=disputed&purpose=%E5%8D%8F%E8%B0%83", "", "", op...)
			if ds, _ := r.body["discrepancies"].([]any); r.status != 200 || len(ds) != want {
				t.Errorf("%s: the operator's disputed list %d %v, want %d", what, r.status, r.body, want)
			}
		}
		r := rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"核实中"}`)
		if r.status != 200 || r.body["status"] != "open" || jsonNumber(r.body["authoritative_entry_id"]) != entryA ||
			r.body["disputed"] != nil {
			t.Errorf("feedback: %d %v, want open, undisputed, with authoritative_entry_id %s", r.status, r.body, entryA)
		}
		queue("feedback without a dispute", 0)
		// 公安, the source, does not dispute: it resolves.
		if r := rf.do(t, "POST", disc+"/feedback", rf.gaKey, `{"feedback":"本局登记无误","disputed":true}`); r.status != 400 ||
			r.body["code"] != "not_disputable" {
			t.Errorf("the source disputing: %d %v, want 400 not_disputable", r.status, r.body)
		}
		r = rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"经核实本局数据正确，申请协调","disputed":true}`)
		if r.status != 200 || r.body["disputed"] != true {
			t.Errorf("disputing feedback: %d %v, want disputed", r.status, r.body)
		}
		queue("a disputing feedback", 1)
		// A follow-up note without "disputed" keeps the side's dispute;
		// "disputed": false withdraws it, and true disputes again.
		r = rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"补充材料：婚姻登记档案"}`)
		if r.status != 200 || r.body["disputed"] != true {
			t.Errorf("follow-up without disputed: %d %v, want still disputed", r.status, r.body)
		}
		queue("a follow-up note after the dispute", 1)
		r = rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"认可公安数据","disputed":false}`)
		if r.status != 200 || r.body["disputed"] != nil {
			t.Errorf("withdrawing feedback: %d %v, want undisputed", r.status, r.body)
		}
		queue("the dispute withdrawn", 0)
		if r := rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"重新核实后仍有异议","disputed":true}`); r.status != 200 || r.body["disputed"] != true {
			t.Errorf("disputing again: %d %v, want disputed", r.status, r.body)
		}
		// 民政 disputes 公安's value: 公安 may no longer settle it; the
		// operator does.
		r = rf.do(t, "POST", disc+"/resolve", rf.gaKey, `{"note":"以户籍登记为准"}`)
		if r.status != 409 || r.body["code"] != "discrepancy_disputed" {
			t.Errorf("resolve by 公安 after 民政's dispute: %d %v, want 409 discrepancy_disputed", r.status, r.body)
		}
		r = rf.do(t, "POST", disc+"/resolve", "", `{"note":"以户籍登记为准"}`, op...)
		if r.status != 200 || r.body["status"] != "awaiting_correction" || jsonNumber(r.body["authoritative_entry_id"]) != entryA {
			t.Errorf("resolve: %d %v, want authoritative_entry_id %s", r.status, r.body, entryA)
		}
		queue("once resolved", 0)
	})
}

// nameDiscrepancy pushes subject to 公安's entry with 姓名 张三 and to
// 民政's with 张叁, and returns the one discrepancy 民政's list for 核验
// then holds.
func (rf *recordsFixture) nameDiscrepancy(t *testing.T, subject string) map[string]any {
	t.Helper()
	at := beijing(t0.Add(-time.Minute))
	if r := rf.do(t, "POST", "/api/v1/records/entries/"+strconv.FormatInt(rf.entryA, 10)+"/ops", rf.gaKey, opLine("add", subject, at, map[string]string{"姓名": "张三"})); r.status != 201 {
		t.Fatalf("push to 公安: %d %v", r.status, r.body)
	}
	if r := rf.do(t, "POST", "/api/v1/records/entries/"+strconv.FormatInt(rf.entryB, 10)+"/ops", rf.mzKey, opLine("add", subject, at, map[string]string{"姓名": "张叁"})); r.status != 201 {
		t.Fatalf("push to 民政: %d %v", r.status, r.body)
	}
	r := rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=%E6%A0%B8%E9%AA%8C", rf.mzKey, "")
	ds, _ := r.body["discrepancies"].([]any)
	if r.status != 200 || len(ds) != 1 {
		t.Fatalf("discrepancies: %d %v, want 1", r.status, r.body)
	}
	return ds[0].(map[string]any)
}
