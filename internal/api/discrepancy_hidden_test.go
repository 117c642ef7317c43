package api_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepancyHiddenFromNonParty: a department that is neither side of
// a discrepancy, feeding back on it or resolving it, is answered 404
// discrepancy_not_found as for an id that does not exist, whatever its
// body or the discrepancy's status, where it was told 403 not_party,
// 400 missing_feedback, 403 not_authoritative or 409 discrepancy_resolved
// and so learnt that the discrepancy exists. The attempt leaves a denied
// row naming the discrepancy and the reason not_party, as a refused read
// does; nothing changes. On both engines.
func TestDiscrepancyHiddenFromNonParty(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		thirdKey, p, id := discrepancyWithThird(t, rf, db, 5100)
		disc := "/api/v1/records/discrepancies/" + strconv.FormatInt(id, 10)
		missing := "/api/v1/records/discrepancies/" + strconv.FormatInt(id+1000, 10)
		denied := func() int {
			return rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE object_type = 'record_discrepancy' AND object_id = $1
				AND outcome = 'denied' AND subject_id = $2 AND detail = '{"reason":"not_party"}'
				AND action IN ('records.discrepancy.feedback', 'records.discrepancy.resolve')`, strconv.FormatInt(id, 10), p)
		}
		try := func(when string) {
			t.Helper()
			for _, c := range []struct{ action, body string }{
				{"feedback", `{"feedback":"无关"}`}, {"feedback", `{"feedback":" "}`},
				{"resolve", `{}`}, {"resolve", `{"authoritative_entry_id":` + strconv.FormatInt(rf.entryB, 10) + `}`},
			} {
				before := denied()
				r := rf.do(t, "POST", disc+"/"+c.action, thirdKey, c.body)
				m := rf.do(t, "POST", missing+"/"+c.action, thirdKey, c.body)
				if r.status != 404 || r.body["code"] != "discrepancy_not_found" || m.status != 404 || m.body["code"] != r.body["code"] {
					t.Errorf("%s: %s %s by no party: %d %v (a missing one: %d %v), want 404 discrepancy_not_found",
						when, c.action, c.body, r.status, r.body, m.status, m.body)
				}
				if n := denied() - before; n != 1 {
					t.Errorf("%s: %s %s by no party left %d denied rows, want 1", when, c.action, c.body, n)
				}
			}
		}
		try("open")
		if r := rf.do(t, "POST", disc+"/resolve", rf.gaKey, `{"note":"以户籍登记为准"}`); r.status != 200 {
			t.Fatalf("resolve by 公安: %d %v", r.status, r.body)
		}
		try("awaiting correction")
		if n := rf.countWhere(t, `SELECT count(*) FROM record_discrepancy_feedback WHERE discrepancy_id = $1`, id); n != 0 {
			t.Errorf("%d feedback rows after the refusals, want none", n)
		}
	})
}

// discrepancyWithThird makes a discrepancy between rf's two departments
// about the n-th test citizen, and a third department with an app whose
// key (records.write, data.read) it returns, with the citizen and the
// discrepancy's id.
func discrepancyWithThird(t *testing.T, rf *recordsFixture, db *sqldb.DB, n int) (thirdKey, p string, id int64) {
	t.Helper()
	ctx := context.Background()
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
		d := org.Department{Name: "佛山市南海区人力资源和社会保障局", USCC: demo.USCC("440605", 78), RegionCode: "440605"}
		if err := org.CreateDepartment(ctx, tx, by, &d, t0); err != nil {
			return err
		}
		var err error
		_, thirdKey, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "人社推送", DepartmentID: d.ID,
			Scopes: []string{"records.write", "data.read"}}, t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
	b := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryB, 10)
	p = recordstest.CitizenID(n)
	at := beijing(t0.Add(-time.Minute))
	rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", p, at, map[string]string{"姓名": "张三"}))
	rf.do(t, "POST", b+"/ops", rf.mzKey, opLine("add", p, at, map[string]string{"姓名": "张叁"}))
	if err := db.Read().QueryRowContext(ctx, `SELECT id FROM record_discrepancies WHERE subject_id = $1`, p).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return thirdKey, p, id
}
