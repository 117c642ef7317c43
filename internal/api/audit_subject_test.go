package api_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditSubjectFilterForms: GET /api/v1/audit?subject_id= finds a
// subject's rows however its identifier is typed — lower-case x, the old
// 15-digit citizen ID, full-width or mixed-width digits and letters, a
// credit code in lower case — as records store it (records.ParseSubject),
// and a text no identifier's, as typed. On both engines.
func TestAuditSubjectFilterForms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		const person, company, bad = "11010519491231002X", "91350100M000100Y43", "110105194912310099"
		actor := audit.Actor{Kind: audit.ActorApp, ID: "k1", Name: "一窗受理系统", DepartmentID: f.deptID}
		at := time.Date(2026, 10, 1, 10, 0, 0, 0, calendar.Location())
		for i, s := range []string{person, person, company, bad} {
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				return audit.Record(ctx, tx, audit.Event{Actor: actor, Action: "records.read", ObjectType: "catalog_entry",
					ObjectID: "1", SubjectID: s}, at.Add(time.Duration(i)*time.Minute))
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			subject string
			want    int
		}{
			{person, 2},
			{"11010519491231002x", 2},
			{" 110105491231002 ", 2},
			{"１１０１０５１９４９１２３１００２Ｘ", 2},
			{"1101051949１２３１００２x", 2},
			{"91350100m000100y43", 1},
			{"９１３５０１００Ｍ０００１００Ｙ４３", 1},
			{bad, 1},
			{"110105194912310029", 0},
		} {
			q := "since=2026-10-01&until=2026-10-01&action=records.read&subject_id=" + url.QueryEscape(c.subject)
			r := f.do(t, "GET", "/api/v1/audit?"+q, f.opKey, "")
			items, _ := r.body["items"].([]any)
			if r.status != 200 || len(items) != c.want {
				t.Errorf("subject_id=%q: got %d, %d rows, want 200, %d rows (%v)", c.subject, r.status, len(items), c.want, r.body["detail"])
			}
		}
	})
}
