package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOpKeyHeaderRefused: a bad Idempotency-Key header on a single
// operation is refused naming the header (invalid_idempotency_key, field
// Idempotency-Key), as a batch's is, not as the body's key; nothing is
// applied.
func TestOpKeyHeaderRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		ops := "/api/v1/records/entries/" + itoa(rf.entryA) + "/ops"
		line := opLine("add", recordstest.CitizenID(7000), beijing(rf.clock.Now()), map[string]string{"姓名": "张三", "登记日期": "2026-03-01"})
		for _, key := range []string{strings.Repeat("k", 129), "a\tb"} {
			r := rf.do(t, "POST", ops, rf.gaKey, line, "Idempotency-Key", key)
			if r.status != 400 || r.body["code"] != "invalid_idempotency_key" || r.body["field"] != "Idempotency-Key" {
				t.Errorf("Idempotency-Key %q: got %d %v, want 400 invalid_idempotency_key on Idempotency-Key", key, r.status, r.body)
			}
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM record_versions`); n != 0 {
			t.Errorf("refused operations stored %d versions", n)
		}
		if r := rf.do(t, "POST", ops, rf.gaKey, line, "Idempotency-Key", strings.Repeat("k", 128)); r.status != 201 {
			t.Errorf("a 128-character key: got %d %v, want 201", r.status, r.body)
		}
	})
}
