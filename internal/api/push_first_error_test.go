package api_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPushAnswersFirstError: a single operation with several bad fields is
// answered with the first of them, subject_id before an item, as before a
// line listed every field's error (040adca); the round kept each line's
// last. On both engines.
func TestPushAnswersFirstError(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		at := beijing(rf.clock.Now().Add(-time.Hour))
		body := opLine("add", "123", at, map[string]string{"姓名": "张三", "登记日期": "2026-13-45"})
		r := rf.do(t, "POST", "/api/v1/records/entries/"+itoa(rf.entryA)+"/ops", rf.gaKey, body)
		if r.status != 400 || r.body["code"] != "invalid_citizen_id" || r.body["field"] != "subject_id" {
			t.Errorf("an op with a bad subject_id and a bad date: %d %v, want 400 invalid_citizen_id on subject_id", r.status, r.body)
		}
	})
}
