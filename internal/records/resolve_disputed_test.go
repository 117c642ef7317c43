package records_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestResolveDisputedGoesToOperator: once the other side disputed a
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
		f.feedback(rsj, d1[0].ID, "经核实本局数据正确，公安数据有误，申请电子政务办协调", true)
		f.feedback(gaj, d2[0].ID, "经核实，本局登记无误", false)

		_, err := f.resolve(gaj, d1[0].ID, 0)
		if e := errs.As(err); e == nil || e.Kind != errs.Conflict || e.Code != "discrepancy_disputed" ||
			!strings.Contains(e.Message, "政务数据主管部门") {
			t.Fatalf("authoritative department resolving a disputed discrepancy: %v, want conflict discrepancy_disputed", err)
		}
		got, err := records.GetDiscrepancy(f.ctx, db.Read(), d1[0].ID, f.receivedAt)
		if err != nil || got.Status != "open" {
			t.Fatalf("after the refusal: %+v, %v; want open", got, err)
		}
		b, err := json.Marshal(got)
		if err != nil || !strings.Contains(string(b), `"disputed":true`) {
			t.Errorf("disputed discrepancy as JSON: %s, %v; want disputed true", b, err)
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
		// Only the other side's feedback disputes.
		if res, err := f.resolve(gaj, d2[0].ID, 0); err != nil || res.Status != "awaiting_correction" || res.Authority != f.hj {
			t.Errorf("authoritative department resolving after its own feedback: %+v, %v; want awaiting correction", res, err)
		}
	})
}

// TestAgreeingFeedbackIsNoDispute: since 841915d any feedback of the side
// that is not the authoritative source counted as a dispute, so the
// required agreeing reply ("经核实，本局登记有误") took the discrepancy from
// the source's department to the operator, who had no list of them. Now a
// feedback disputes only when it says so: an agreeing one leaves the
// source's department to resolve it; a disputing one sends it to the
// operator, listed under the "disputed" status; a later agreeing one
// withdraws the dispute. The source's department cannot dispute (it
// resolves), nor can anyone once it is resolved (not_disputable).
func TestAgreeingFeedbackIsNoDispute(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, d2 := f.twoDisputedNames()
		gaj := records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}
		rsj := records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}
		disputed := func() []int64 {
			t.Helper()
			ds, _, err := records.Discrepancies(f.ctx, db.Read(), records.DiscrepancyFilter{Status: "disputed"}, f.receivedAt)
			if err != nil {
				t.Fatal(err)
			}
			c, err := records.CountDiscrepancies(f.ctx, db.Read(), db.Dialect, records.DiscrepancyFilter{Status: "disputed"}, f.receivedAt)
			if err != nil || c.Total != int64(len(ds)) {
				t.Errorf("disputed count %+v, %v; want %d", c, err, len(ds))
			}
			var ids []int64
			for _, d := range ds {
				ids = append(ids, d.ID)
			}
			return ids
		}

		f.feedback(rsj, d1[0].ID, "经核实，本局登记有误，将推送更正", false)
		f.feedback(rsj, d2[0].ID, "经核实本局数据正确，申请电子政务办协调", true)
		if got := disputed(); len(got) != 1 || got[0] != d2[0].ID {
			t.Errorf("disputed list: %v, want only %d", got, d2[0].ID)
		}
		got, err := records.GetDiscrepancy(f.ctx, db.Read(), d2[0].ID, f.receivedAt)
		if err != nil || len(got.FeedbackHistory) != 1 || !got.FeedbackHistory[0].Disputed || !got.Contested() {
			t.Errorf("disputing feedback read back: %+v, %v", got.FeedbackHistory, err)
		}
		if res, err := f.resolve(gaj, d1[0].ID, 0); err != nil || res.Status != "awaiting_correction" {
			t.Errorf("source resolving after an agreeing reply: %+v, %v; want awaiting correction", res, err)
		}
		if _, err := f.resolve(gaj, d2[0].ID, 0); errs.As(err) == nil || errs.As(err).Code != "discrepancy_disputed" {
			t.Errorf("source resolving a disputed one: %v, want discrepancy_disputed", err)
		}
		// The source's department does not dispute: it resolves.
		if err := f.tryFeedback(gaj, d2[0].ID, "本局登记无误", true); errs.As(err) == nil || errs.As(err).Code != "not_disputable" {
			t.Errorf("source disputing: %v, want not_disputable", err)
		}
		// Nor is one awaiting correction disputed.
		if err := f.tryFeedback(rsj, d1[0].ID, "仍有异议", true); errs.As(err) == nil || errs.As(err).Code != "not_disputable" {
			t.Errorf("disputing one awaiting correction: %v, want not_disputable", err)
		}
		// A later agreeing reply withdraws the dispute.
		f.feedback(rsj, d2[0].ID, "经再次核实，认可公安数据", false)
		if got := disputed(); len(got) != 0 {
			t.Errorf("disputed list after the dispute was withdrawn: %v, want none", got)
		}
		if res, err := f.resolve(gaj, d2[0].ID, 0); err != nil || res.Status != "awaiting_correction" {
			t.Errorf("source resolving after the dispute was withdrawn: %+v, %v", res, err)
		}
	})
}

// tryFeedback gives by's feedback on discrepancy id, disputing or not.
func (f *fixture) tryFeedback(by records.Reviewer, id int64, text string, disputed bool) error {
	return f.db.Tx(f.ctx, func(tx *sqldb.Tx) error {
		_, err := records.Feedback(f.ctx, tx, by, id, text, &disputed, f.receivedAt)
		return err
	})
}

// feedback is tryFeedback that must succeed.
func (f *fixture) feedback(by records.Reviewer, id int64, text string, disputed bool) {
	f.t.Helper()
	if err := f.tryFeedback(by, id, text, disputed); err != nil {
		f.t.Fatal(err)
	}
}

// TestResolveRacesDispute: on PostgreSQL the authoritative department's
// resolution, having read the discrepancy undisputed, waited for the row
// lock of the other department's disputing feedback and then resolved it
// anyway (its UPDATE checked only that it was open). It now re-checks the
// dispute as it writes: refused discrepancy_disputed, the discrepancy
// left open and disputed for the operator. SQLite serialises the two.
func TestResolveRacesDispute(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, _ := f.twoDisputedNames()
		gaj := records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}
		rsj := records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}
		commit := holdTx(t, db, func(tx *sqldb.Tx) error {
			_, err := records.Feedback(f.ctx, tx, rsj, d1[0].ID, "经核实本局数据正确，申请协调", new(true), f.receivedAt)
			return err
		})
		resolved := make(chan error, 1)
		go func() {
			_, err := f.resolve(gaj, d1[0].ID, 0)
			resolved <- err
		}()
		waitForLockWait(t, db)
		commit()
		if err := <-resolved; errs.As(err) == nil || errs.As(err).Code != "discrepancy_disputed" {
			t.Errorf("resolving while the other side disputes: %v, want discrepancy_disputed", err)
		}
		got, err := records.GetDiscrepancy(f.ctx, db.Read(), d1[0].ID, f.receivedAt)
		if err != nil || got.Status != "open" || !got.Contested() {
			t.Errorf("after the race: %+v %v, want open and disputed", got, err)
		}
	})
}

// TestUnnamedSourceInOperatorQueue: an open discrepancy whose item the
// catalog names neither entry as the source of can be resolved by the
// operator only (Resolve refuses both departments not_authoritative), yet
// it was listed under the "disputed" status, the operator's queue
// (有争议待协调), only when a side disputed it. It is listed and counted
// there disputed or not, without reading as disputed, and leaves the
// queue once resolved.
func TestUnnamedSourceInOperatorQueue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p := recordstest.CitizenID(41)
		f.push(f.pusher, f.hj, line("add", p, monday, map[string]string{"姓名": "黄静芳"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", p, monday, map[string]string{"姓名": "黄静某"}, ""), records.Options{})
		d := f.live(p)
		if len(d) != 1 {
			t.Fatalf("open discrepancies of %s: %+v", p, d)
		}
		queue := func() []int64 {
			t.Helper()
			filter := records.DiscrepancyFilter{Status: "disputed"}
			ds, _, err := records.Discrepancies(f.ctx, db.Read(), filter, f.receivedAt)
			if err != nil {
				t.Fatal(err)
			}
			c, err := records.CountDiscrepancies(f.ctx, db.Read(), db.Dialect, filter, f.receivedAt)
			if err != nil || c.Total != int64(len(ds)) {
				t.Errorf("queue count %+v, %v; want %d", c, err, len(ds))
			}
			var ids []int64
			for _, d := range ds {
				ids = append(ids, d.ID)
			}
			return ids
		}
		if got := queue(); len(got) != 1 || got[0] != d[0].ID {
			t.Errorf("operator's queue: %v, want %d, whose source the catalog does not name", got, d[0].ID)
		}
		if got, err := records.GetDiscrepancy(f.ctx, db.Read(), d[0].ID, f.receivedAt); err != nil || got.Contested() {
			t.Errorf("undisputed discrepancy read back: %+v, %v; want not contested", got, err)
		}
		operator := records.Reviewer{Actor: f.pusher.Actor, Operator: true}
		if _, err := f.resolve(operator, d[0].ID, f.hj); err != nil {
			t.Fatal(err)
		}
		if got := queue(); len(got) != 0 {
			t.Errorf("operator's queue after the resolution: %v, want none", got)
		}
	})
}
