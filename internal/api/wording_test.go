package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRefusalWording: a fraction where an integer is wanted is called a
// fraction (小数); a department administrator refused the timeliness rule
// or the discrepancy sweep is told who may, not a scope about accounts and
// apps; a bad ?at=
// names both forms it takes; a read ?at= a time records that time in its
// audit row.
func TestRefusalWording(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		op, admin := rf.session(t, "nh.op"), rf.session(t, "mz.admin")
		entry := "/api/v1/catalog/entries/" + itoa(rf.entryA)
		r := rf.do(t, "POST", entry+"/conflicts/1/decision", "", `{"authoritative_entry_id":1.5}`, op...)
		if r.status != 400 || r.body["code"] != "invalid_type" || r.body["detail"] != "字段 authoritative_entry_id 的类型应为整数，实为小数" {
			t.Errorf("a fraction for an integer: got %d %v", r.status, r.body)
		}

		rule := "/api/v1/records/entries/" + itoa(rf.entryA) + "/rule"
		r = rf.do(t, "PUT", rule, "", `{"rule":"quarterly"}`, admin...)
		if d, _ := r.body["detail"].(string); r.status != 403 || !strings.Contains(d, "时效规则") || strings.Contains(d, "账号与应用") {
			t.Errorf("PUT rule as a department administrator: got %d %v, want 403 naming the timeliness rule", r.status, r.body)
		}
		r = rf.do(t, "POST", "/api/v1/records/crosscheck", "", "", admin...)
		if d, _ := r.body["detail"].(string); r.status != 403 || !strings.Contains(d, "差异比对") || strings.Contains(d, "账号与应用") {
			t.Errorf("POST crosscheck as a department administrator: got %d %v, want 403 naming the sweep", r.status, r.body)
		}
		if r := rf.do(t, "PUT", rule, rf.opKey, `{"rule":"quarterly"}`); r.status != 200 {
			t.Errorf("PUT rule by an app with scope admin: got %d %v", r.status, r.body)
		}

		subject := recordstest.CitizenID(8000)
		a := "/api/v1/records/entries/" + itoa(rf.entryA)
		if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", subject, beijing(rf.clock.Now().Add(-time.Hour)),
			map[string]string{"姓名": "张三", "登记日期": "2026-03-01"})); r.status != 201 {
			t.Fatalf("push: %d %v", r.status, r.body)
		}
		r = rf.do(t, "GET", a+"/subjects/"+subject+"?purpose=核验&at=garbage", rf.gaKey, "")
		if d, _ := r.body["detail"].(string); r.status != 400 || r.body["field"] != "at" || !strings.Contains(d, "RFC 3339") || !strings.Contains(d, "YYYY-MM-DD") {
			t.Errorf("?at=garbage: got %d %v, want 400 naming both forms", r.status, r.body)
		}
		at := rf.clock.Now().Add(time.Minute)
		if r := rf.do(t, "GET", a+"/subjects/"+subject+"?purpose=核验&at="+at.UTC().Format(time.RFC3339), rf.gaKey, ""); r.status != 200 {
			t.Fatalf("read at %s: %d %v", at, r.status, r.body)
		}
		var detail string
		if err := db.Read().QueryRowContext(context.Background(), `SELECT detail FROM audit_log WHERE action = 'records.read' AND subject_id = $1 ORDER BY seq DESC LIMIT 1`, subject).Scan(&detail); err != nil {
			t.Fatal(err)
		}
		var d map[string]string
		if err := json.Unmarshal([]byte(detail), &d); err != nil || d["at"] != at.UTC().Format(time.RFC3339) {
			t.Errorf("audit detail of a read at %s: %q, want its at", at, detail)
		}
		// A read at a time before the record was added misses, and its row says when it asked about.
		before := rf.clock.Now().Add(-48 * time.Hour)
		if r := rf.do(t, "GET", a+"/subjects/"+subject+"?purpose=核验&at="+before.UTC().Format(time.RFC3339), rf.gaKey, ""); r.status != 404 {
			t.Fatalf("read at %s: %d %v, want 404", before, r.status, r.body)
		}
		if err := db.Read().QueryRowContext(context.Background(), `SELECT detail FROM audit_log WHERE action = 'records.read' AND subject_id = $1
			AND outcome = 'failed' ORDER BY seq DESC LIMIT 1`, subject).Scan(&detail); err != nil {
			t.Fatal(err)
		}
		if d = nil; json.Unmarshal([]byte(detail), &d) != nil || d["at"] != before.UTC().Format(time.RFC3339) || d["reason"] != "record_not_found" {
			t.Errorf("audit detail of a missed read at %s: %q, want its reason and at", before, detail)
		}
	})
}
