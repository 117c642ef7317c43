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

// TestRecordsOutOfOrder: a change produced before the record's current
// version, pushed alone or in a batch, is refused (out_of_order) and the
// newer value stays; in a batch, a record's lines out of produced_at
// order refuse the batch.
func TestRecordsOutOfOrder(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		p1, p2 := recordstest.CitizenID(4001), recordstest.CitizenID(4002)
		at := func(hoursAgo int) string { return beijing(rf.clock.Now().Add(-time.Duration(hoursAgo) * time.Hour)) }
		for _, c := range []struct {
			what, body string
			status     int
		}{
			{"add", opLine("add", p1, at(3), map[string]string{"姓名": "张三", "居住地址": "A1"}), 201},
			{"newer change", opLine("change", p1, at(1), map[string]string{"居住地址": "A1-v2"}), 201},
			{"older change", opLine("change", p1, at(2), map[string]string{"居住地址": "A1-v-older"}), 409},
		} {
			r := rf.do(t, "POST", a+"/ops", rf.gaKey, c.body)
			if r.status != c.status {
				t.Fatalf("%s: %d %v, want %d", c.what, r.status, r.body, c.status)
			}
			if c.status == 409 {
				detail, _ := r.body["detail"].(string)
				if r.body["code"] != "out_of_order" || r.body["field"] != "produced_at" ||
					!strings.Contains(detail, "2026-03-02 16:00:00") || !strings.Contains(detail, "2026-03-02 15:00:00") {
					t.Errorf("%s: %v, want out_of_order naming both times", c.what, r.body)
				}
			}
		}
		r := rf.do(t, "GET", a+"/subjects/"+p1+"?purpose=核验", rf.gaKey, "")
		if vals, _ := r.body["values"].(map[string]any); r.status != 200 || vals["居住地址"] != "A1-v2" || r.body["version"] != 2.0 {
			t.Errorf("record after the older change: %d %v, want A1-v2 version 2", r.status, r.body)
		}

		batch := opLine("add", p2, at(3), map[string]string{"姓名": "李四", "居住地址": "B1"}) + "\n" +
			opLine("change", p2, at(1), map[string]string{"居住地址": "B2"}) + "\n" +
			opLine("change", p2, at(2), map[string]string{"居住地址": "B-older"})
		r = rf.do(t, "POST", a+"/batches", rf.gaKey, batch, "Content-Type", "application/x-ndjson")
		rejected, _ := r.body["rejected"].([]any)
		if r.status != 422 || len(rejected) != 1 || rejected[0].(map[string]any)["code"] != "out_of_order" ||
			rejected[0].(map[string]any)["line"] != 3.0 {
			t.Errorf("batch out of order: %d %v, want 422 with line 3 out_of_order", r.status, r.body)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM record_versions WHERE entry_id = $1 AND subject_id = $2`, rf.entryA, p2); n != 0 {
			t.Errorf("refused batch wrote %d versions", n)
		}
	})
}

// TestRecordsOpConflictingKeys: an operation whose body's key and
// Idempotency-Key header differ is refused (conflicting_keys) and applies
// nothing; the same key in both is the operation's key.
func TestRecordsOpConflictingKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		p1 := recordstest.CitizenID(4101)
		withKey := func(key string) string {
			op := opLine("add", p1, beijing(rf.clock.Now().Add(-time.Hour)), map[string]string{"姓名": "张三"})
			return strings.TrimSuffix(op, "}") + `,"key":"` + key + `"}`
		}
		r := rf.do(t, "POST", a+"/ops", rf.gaKey, withKey("k-2"), "Idempotency-Key", "k-3")
		if r.status != 400 || r.body["code"] != "conflicting_keys" || r.body["field"] != "key" {
			t.Errorf("different keys: %d %v, want 400 conflicting_keys", r.status, r.body)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM record_versions WHERE entry_id = $1`, rf.entryA); n != 0 {
			t.Errorf("refused operation wrote %d versions", n)
		}
		if r := rf.do(t, "POST", a+"/ops", rf.gaKey, withKey("k-2"), "Idempotency-Key", "k-2"); r.status != 201 {
			t.Errorf("the same key twice: %d %v, want 201", r.status, r.body)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM record_versions WHERE entry_id = $1 AND op_key = 'k-2'`, rf.entryA); n != 1 {
			t.Errorf("%d versions under k-2, want 1", n)
		}
	})
}

// TestRecordsBatchNothingApplied: a batch that applies nothing (every
// line a duplicate or unchanged) answers 200, as a single operation does,
// and is still recorded.
func TestRecordsBatchNothingApplied(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		produced := beijing(rf.clock.Now().Add(-time.Hour))
		var batch strings.Builder
		for i := range 3 {
			batch.WriteString(opLine("add", recordstest.CitizenID(4201+i), produced, map[string]string{"姓名": "张三"}) + "\n")
		}
		ndjson := []string{"Content-Type", "application/x-ndjson"}
		if r := rf.do(t, "POST", a+"/batches", rf.gaKey, batch.String(), ndjson...); r.status != 201 || r.body["applied"] != 3.0 {
			t.Fatalf("batch: %d %v, want 201 with 3 applied", r.status, r.body)
		}
		r := rf.do(t, "POST", a+"/batches", rf.gaKey, batch.String(), ndjson...)
		if r.status != 200 || r.body["applied"] != 0.0 || r.body["duplicates"] != 3.0 || r.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("batch resent without a key: %d %v, want 200 with 3 duplicates, not a replay", r.status, r.body)
		}
		id, _ := r.body["batch_id"].(float64)
		if n := rf.countWhere(t, `SELECT count(*) FROM record_batches WHERE id = $1 AND ops = 0 AND duplicates = 3`, int64(id)); n != 1 {
			t.Errorf("batch resent: %d rows recorded as batch %v, want 1", n, r.body["batch_id"])
		}
	})
}
