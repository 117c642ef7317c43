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

// TestBatchWrongContentType: a CSV body sent as application/x-ndjson, a
// workbook sent as application/jsonl and JSON lines sent as text/csv are
// answered 422 with one rejected line saying what the body looks like and
// the Content-Type to send it with, where the CSV was a malformed_json on
// every line. On both engines.
func TestBatchWrongContentType(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		at := beijing(rf.clock.Now().Add(-time.Hour))
		var csv, jsonl strings.Builder
		csv.WriteString("op,subject_id,produced_at,姓名\n")
		for i := range 3 {
			id := recordstest.CitizenID(4301 + i)
			csv.WriteString("add," + id + "," + at + ",张三\n")
			jsonl.WriteString(opLine("add", id, at, map[string]string{"姓名": "张三"}) + "\n")
		}
		for _, tt := range []struct{ name, body, ct, code, says string }{
			{"csv as ndjson", csv.String(), "application/x-ndjson", "json_is_csv", "CSV 批次请以 Content-Type: text/csv 推送"},
			{"xlsx as jsonl", "PK\x03\x04\x14\x00\x06\x00\x08\x00", "application/jsonl", "json_spreadsheet", "另存后以 CSV 批次（Content-Type: text/csv）重新推送"},
			{"jsonl as csv", jsonl.String(), "text/csv; charset=utf-8", "csv_is_json", "JSON Lines 批次请以 Content-Type: application/x-ndjson 推送"},
		} {
			r := rf.do(t, "POST", a+"/batches", rf.gaKey, tt.body, "Content-Type", tt.ct)
			rejected, _ := r.body["rejected"].([]any)
			if r.status != 422 || len(rejected) != 1 || r.body["rejected_lines"] != 1.0 {
				t.Errorf("%s: %d %v, want 422 with one rejected line", tt.name, r.status, r.body)
				continue
			}
			if le := rejected[0].(map[string]any); le["code"] != tt.code || !strings.Contains(le["reason"].(string), tt.says) {
				t.Errorf("%s: %v, want %s saying %s", tt.name, le, tt.code, tt.says)
			}
		}
		if r := rf.do(t, "POST", a+"/batches", rf.gaKey, jsonl.String(), "Content-Type", "application/jsonl"); r.status != 201 {
			t.Errorf("JSON lines as application/jsonl: %d %v, want 201", r.status, r.body)
		}
	})
}
