package api_test

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestFormatCharactersRefused: a purpose, a discrepancy's feedback or a
// resolution's note holding a Unicode format character (zero-width space,
// BOM, a bidi override, a zero-width joiner) is 400 invalid_characters:
// kept in audit rows and shown in the console and the CLI, it would look
// blank, or reverse the text after it. Nothing is read, audited or
// recorded. On both engines.
func TestFormatCharactersRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		b := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryB, 10)
		at := beijing(t0.Add(-time.Minute))
		s := recordstest.CitizenID(4320)
		if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", s, at, map[string]string{"姓名": "张三"})); r.status != 201 {
			t.Fatalf("push to 公安: %d %v", r.status, r.body)
		}
		if r := rf.do(t, "POST", b+"/ops", rf.mzKey, opLine("add", s, at, map[string]string{"姓名": "张叁"})); r.status != 201 {
			t.Fatalf("push to 民政: %d %v", r.status, r.body)
		}
		reads := func() int {
			return rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action LIKE 'records.%read' OR action = 'records.history'`)
		}
		before := reads()
		for _, purpose := range []string{"\u200b", "\ufeff", "\u202e123", "核验\u200d", "\u00ad", "核验\u2066"} {
			for _, path := range []string{a + "/subjects/" + s, a + "/subjects/" + s + "/history", "/api/v1/records/discrepancies"} {
				r := rf.do(t, "GET", path+"?purpose="+url.QueryEscape(purpose), rf.gaKey, "")
				if r.status != 400 || r.body["code"] != "invalid_characters" || r.body["field"] != "purpose" {
					t.Errorf("GET %s purpose %q: %d %v, want 400 invalid_characters on purpose", path, purpose, r.status, r.body)
				}
			}
		}
		if n := reads(); n != before {
			t.Errorf("refused purposes left %d read rows, want none", n-before)
		}
		r := rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=%E6%A0%B8%E9%AA%8C", rf.mzKey, "")
		ds, _ := r.body["discrepancies"].([]any)
		if r.status != 200 || len(ds) != 1 {
			t.Fatalf("discrepancies: %d %v, want 1", r.status, r.body)
		}
		disc := "/api/v1/records/discrepancies/" + jsonNumber(ds[0].(map[string]any)["id"])
		for _, fb := range []string{"\u202e核实中", "\u200b", "核实中\ufeff"} {
			r := rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"`+fb+`"}`)
			if r.status != 400 || r.body["code"] != "invalid_characters" || r.body["field"] != "feedback" {
				t.Errorf("feedback %q: %d %v, want 400 invalid_characters on feedback", fb, r.status, r.body)
			}
			r = rf.do(t, "POST", disc+"/resolve", rf.gaKey, `{"note":"`+fb+`"}`)
			if r.status != 400 || r.body["code"] != "invalid_characters" || r.body["field"] != "note" {
				t.Errorf("resolve note %q: %d %v, want 400 invalid_characters on note", fb, r.status, r.body)
			}
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM record_discrepancy_feedback`); n != 0 {
			t.Errorf("refused feedback left %d feedback rows, want none", n)
		}
		if r := rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"核实中：户籍“张三”，低保“张叁”"}`); r.status != 200 {
			t.Errorf("feedback of plain Chinese text: %d %v, want 200", r.status, r.body)
		}
	})
}
