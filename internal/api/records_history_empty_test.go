package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestHistoryEmptyPageNotAudited: a page of a record's history after its
// last version serves no data and leaves no records.history row, as a
// change-feed page without changes leaves none; a page that serves
// versions leaves one. On both engines.
func TestHistoryEmptyPageNotAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		p1 := recordstest.CitizenID(3001)
		for i, op := range []string{"add", "change"} {
			produced := beijing(rf.clock.Now().Add(time.Duration(i-10) * time.Minute))
			if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine(op, p1, produced, map[string]string{"姓名": "甲" + strconv.Itoa(i)})); r.status != 201 {
				t.Fatalf("push %s: %d %v", op, r.status, r.body)
			}
		}
		last := rf.countWhere(t, `SELECT max(seq) FROM record_versions WHERE entry_id = $1 AND subject_id = $2`, rf.entryA, p1)
		rows := func() int {
			return rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'records.history' AND subject_id = $1`, p1)
		}
		for _, cursor := range []int{last, last + 100} {
			r := rf.do(t, "GET", a+"/subjects/"+p1+"/history?purpose=核验&cursor="+strconv.Itoa(cursor), rf.gaKey, "")
			if vs, _ := r.body["versions"].([]any); r.status != 200 || len(vs) != 0 {
				t.Fatalf("history after the last version (cursor %d): %d %v, want 200 and no versions", cursor, r.status, r.body)
			}
			if _, more := r.body["next_cursor"]; more {
				t.Errorf("empty history page (cursor %d) has a next_cursor: %v", cursor, r.body)
			}
		}
		if n := rows(); n != 0 {
			t.Errorf("empty history pages left %d records.history rows, want none", n)
		}
		r := rf.do(t, "GET", a+"/subjects/"+p1+"/history?purpose=核验&cursor="+strconv.Itoa(last-1), rf.gaKey, "")
		if vs, _ := r.body["versions"].([]any); r.status != 200 || len(vs) != 1 {
			t.Fatalf("history's last page: %d %v, want 200 and one version", r.status, r.body)
		}
		if n := rows(); n != 1 {
			t.Errorf("a history page served left %d records.history rows, want 1", n)
		}
	})
}
