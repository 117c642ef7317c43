package web_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBatchesRefusedReadsNoBatch: a /records/batches?batch= page refused
// for its other parameters (a department that is not one, a department
// number that is not one) leaves no records.batch.read row, where the
// batch was read, and its read recorded, before they were checked; the
// page given valid parameters still records the read, once.
func TestBatchesRefusedReadsNoBatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		people := peopleEntry(t, f)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		police := f.client(t)
		tok := police.login("police.admin")
		// CitizenID(1)'s 17th digit is even: a woman, whom 男 draws a warning.
		line := `{"op":"add","subject_id":"` + recordstest.CitizenID(1) + `","produced_at":"` + produced +
			`","values":{"性别":"男"},"key":"hj-0007"}` + "\n"
		r := police.upload("/records/upload", tok, "people.jsonl", []byte(line), "entry", strconv.FormatInt(people, 10))
		wantStatus(t, "upload", r, http.StatusOK)

		op := f.loggedIn(t, "operator")
		reads := func() int {
			return count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.batch.read' AND object_id = '1'`)
		}
		for url, status := range map[string]int{
			"/records/batches?batch=1&department_id=999999": http.StatusNotFound,
			"/records/batches?batch=1&department_id=x":      http.StatusBadRequest,
		} {
			wantStatus(t, url, op.get(url), status)
			if n := reads(); n != 0 {
				t.Errorf("%s: %d records.batch.read rows, want none", url, n)
			}
		}
		police1 := strconv.FormatInt(f.depts["公安分局"].ID, 10)
		for i, url := range []string{"/records/batches?batch=1", "/records/batches?batch=1&department_id=" + police1} {
			r := op.get(url)
			wantStatus(t, url, r, http.StatusOK)
			wantBody(t, url, r, "批次 1 的注意事项")
			if n := reads(); n != i+1 {
				t.Errorf("%s: %d records.batch.read rows, want %d", url, n, i+1)
			}
		}
	})
}
