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

// TestBatchLineTooLong: a JSON Lines batch with a line over 1 MiB answers
// 422, the line refused line_too_long among the batch's rejected, as
// docs/records-push.md says; it is no problem's 400. The same operation
// pushed alone is a body over the operation's 1 MiB: 413 body_too_large.
// On both engines.
func TestBatchLineTooLong(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		at := beijing(rf.clock.Now().Add(-time.Hour))
		long := opLine("add", recordstest.CitizenID(4311), at, map[string]string{"姓名": strings.Repeat("张", 1<<19)})
		body := opLine("add", recordstest.CitizenID(4310), at, map[string]string{"姓名": "张三"}) + "\n" + long + "\n"
		r := rf.do(t, "POST", a+"/batches", rf.gaKey, body, "Content-Type", "application/x-ndjson")
		rejected, _ := r.body["rejected"].([]any)
		if r.status != 422 || len(rejected) != 1 {
			t.Fatalf("batch with a line over 1 MiB: %d %v, want 422 with one rejected line", r.status, r.body)
		}
		if le := rejected[0].(map[string]any); le["code"] != "line_too_long" || le["line"] != 2.0 || le["reason"] != "第 2 行超过 1 MiB" {
			t.Errorf("rejected %v, want line 2 line_too_long", le)
		}
		if r := rf.do(t, "POST", a+"/ops", rf.gaKey, long, "Content-Type", "application/json"); r.status != 413 || r.body["code"] != "body_too_large" {
			t.Errorf("the line alone as an operation: %d %v, want 413 body_too_large", r.status, r.body)
		}
	})
}
