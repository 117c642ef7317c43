package records_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestResolveDisputedGoesToOperator: once the other side contested a
// discrepancy with its feedback, the catalog's authoritative source's
// department resolved it in its own favour (200, awaiting the other's
// correction), where disputes between departments go to the platform
// operator (REQUIREMENTS 22). It is now refused 409 discrepancy_disputed,
// stays open and reads disputed; the operator resolves it. The
// authoritative department's own feedback is no dispute: it still
// resolves an undisputed one.
func TestResolveDisputedGoesToOperator(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, d2 := f.twoDisputedNames()
		gaj := records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}
		rsj := records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}
		feedback := func(by records.Reviewer, id int64, text string) {
			t.Helper()
			if err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
				_, err := records.Feedback(f.ctx, tx, by, id, text, f.receivedAt)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		feedback(rsj, d1[0].ID, "经核实本局数据正确，公安数据有误，申请电子政务办协调")
		feedback(gaj, d2[0].ID, "经核实，本局登记无误")

		_, err := f.resolve(gaj, d1[0].ID, 0)
		if e := errs.As(err); e == nil || e.Kind != errs.Conflict || e.Code != "discrepancy_disputed" ||
			!strings.Contains(e.Message, "政务数据主管部门") {
			t.Fatalf("authoritative department resolving a contested discrepancy: %v, want conflict discrepancy_disputed", err)
		}
		got, err := records.GetDiscrepancy(f.ctx, db.Read(), d1[0].ID, f.receivedAt)
		if err != nil || got.Status != "open" {
			t.Fatalf("after the refusal: %+v, %v; want open", got, err)
		}
		b, err := json.Marshal(got)
		if err != nil || !strings.Contains(string(b), `"disputed":true`) {
			t.Errorf("contested discrepancy as JSON: %s, %v; want disputed true", b, err)
		}
		// The other side cannot resolve it either.
		if _, err := f.resolve(rsj, d1[0].ID, f.sb); errs.As(err) == nil || errs.As(err).Code != "not_authoritative" {
			t.Errorf("other side resolving: %v, want not_authoritative", err)
		}
		operator := records.Reviewer{Actor: f.pusher.Actor, Operator: true}
		if res, err := f.resolve(operator, d1[0].ID, f.sb); err != nil || res.Status != "awaiting_correction" ||
			res.Authority != f.sb {
			t.Errorf("operator resolving: %+v, %v; want awaiting the 户籍 correction", res, err)
		}
		// Only the other side's feedback contests.
		if res, err := f.resolve(gaj, d2[0].ID, 0); err != nil || res.Status != "awaiting_correction" || res.Authority != f.hj {
			t.Errorf("authoritative department resolving after its own feedback: %+v, %v; want awaiting correction", res, err)
		}
	})
}
