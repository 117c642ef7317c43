package api_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestHistoryEmptyPageAudited: a page of a record's history after its
// last version serves no values, but its 200 (where a subject without a
// record gets 404) tells that the subject is in the entry, so it leaves a
// records.history row too, GET or HEAD: outcome ok, no fields, the
// purpose and the cursor asked for in its detail. A page that serves
// versions leaves one naming the items. On both engines.
func TestHistoryEmptyPageAudited(t *testing.T) {
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
		type row struct{ fields, purpose, outcome, detail string }
		rows := func() []row {
			t.Helper()
			rs, err := rf.db.Read().QueryContext(context.Background(), `SELECT fields, purpose, outcome, detail FROM audit_log
				WHERE action = 'records.history' AND subject_id = $1 ORDER BY seq`, p1)
			if err != nil {
				t.Fatal(err)
			}
			defer rs.Close()
			var out []row
			for rs.Next() {
				var r row
				if err := rs.Scan(&r.fields, &r.purpose, &r.outcome, &r.detail); err != nil {
					t.Fatal(err)
				}
				out = append(out, r)
			}
			if err := rs.Err(); err != nil {
				t.Fatal(err)
			}
			return out
		}
		pages := []struct {
			method string
			cursor int
		}{{"GET", last}, {"GET", last + 100}, {"HEAD", 999999999}}
		for i, pg := range pages {
			r := rf.do(t, pg.method, a+"/subjects/"+p1+"/history?purpose=probe&cursor="+strconv.Itoa(pg.cursor), rf.gaKey, "")
			if r.status != 200 {
				t.Fatalf("%s history after the last version (cursor %d): %d %v, want 200", pg.method, pg.cursor, r.status, r.body)
			}
			if vs, _ := r.body["versions"].([]any); pg.method == "GET" && len(vs) != 0 {
				t.Fatalf("history after the last version (cursor %d): %v, want no versions", pg.cursor, r.body)
			}
			if _, more := r.body["next_cursor"]; more {
				t.Errorf("empty history page (cursor %d) has a next_cursor: %v", pg.cursor, r.body)
			}
			got := rows()
			if len(got) != i+1 {
				t.Fatalf("after %d empty history pages: %d records.history rows, want %d", i+1, len(got), i+1)
			}
			want := row{"", "probe", "ok", `{"cursor":"` + strconv.Itoa(pg.cursor) + `"}`}
			if got[i] != want {
				t.Errorf("%s empty page (cursor %d) row = %+v, want %+v", pg.method, pg.cursor, got[i], want)
			}
		}
		r := rf.do(t, "GET", a+"/subjects/"+p1+"/history?purpose=核验&cursor="+strconv.Itoa(last-1), rf.gaKey, "")
		if vs, _ := r.body["versions"].([]any); r.status != 200 || len(vs) != 1 {
			t.Fatalf("history's last page: %d %v, want 200 and one version", r.status, r.body)
		}
		got := rows()
		if len(got) != len(pages)+1 {
			t.Fatalf("a history page served: %d records.history rows, want %d", len(got), len(pages)+1)
		}
		if served := got[len(pages)]; served.fields != "姓名" || served.purpose != "核验" || served.outcome != "ok" {
			t.Errorf("served page's row = %+v, want fields 姓名, purpose 核验, outcome ok", served)
		}
	})
}
