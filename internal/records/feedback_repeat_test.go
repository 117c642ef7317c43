package records_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// feedbackRows counts discrepancy id's feedback history rows and its
// records.discrepancy.feedback audit rows.
func (f *fixture) feedbackRows(id int64) (history, audited int) {
	f.t.Helper()
	if err := f.db.Read().QueryRowContext(f.ctx, `SELECT count(*) FROM record_discrepancy_feedback WHERE discrepancy_id = $1`, id).Scan(&history); err != nil {
		f.t.Fatal(err)
	}
	if err := f.db.Read().QueryRowContext(f.ctx, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.feedback'
		AND object_id = $1 AND outcome <> 'denied'`, strconv.FormatInt(id, 10)).Scan(&audited); err != nil {
		f.t.Fatal(err)
	}
	return history, audited
}

// TestFeedbackRepeatedOnce: the same feedback sent twice (the console's
// form sent again after Back, a retried request, two sent at once) wrote
// two history rows and two audit rows, and the list showed it twice. A
// feedback repeating the side's latest (text and position) is now
// answered as given and writes nothing; sent at once, the second waits for
// the first's row lock and sees it. A follow-up note (position left out)
// repeating it is no new feedback either; another text is.
func TestFeedbackRepeatedOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, _ := f.twoDisputedNames()
		rsj := records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}
		yes := true
		give := func(ctx context.Context, tx *sqldb.Tx, id int64, tags []string) error {
			d, err := records.FeedbackIf(ctx, tx, rsj, id, tags, "经核实本局数据正确，申请协调", &yes, f.receivedAt)
			if err == nil && !d.DisputedB {
				t.Errorf("feedback answered %+v, want disputed by the 人社 side", d)
			}
			return err
		}
		tag := []string{d1[0].FeedbackTag()}
		e1, e2 := sqldbtest.Race(t, db,
			func(ctx context.Context, tx *sqldb.Tx) error { return give(ctx, tx, d1[0].ID, tag) },
			func(ctx context.Context, tx *sqldb.Tx) error { return give(ctx, tx, d1[0].ID, tag) })
		if e1 != nil || e2 != nil {
			t.Fatalf("two identical feedbacks at once: %v, %v; want both answered", e1, e2)
		}
		if h, a := f.feedbackRows(d1[0].ID); h != 1 || a != 1 {
			t.Errorf("two identical feedbacks at once: %d history rows, %d audit rows; want 1 and 1", h, a)
		}
		// Sent again later, without a tag, and as a follow-up note.
		if err := db.Tx(f.ctx, func(tx *sqldb.Tx) error { return give(f.ctx, tx, d1[0].ID, nil) }); err != nil {
			t.Fatal(err)
		}
		if err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			_, err := records.Feedback(f.ctx, tx, rsj, d1[0].ID, " 经核实本局数据正确，申请协调 ", nil, f.receivedAt)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if h, a := f.feedbackRows(d1[0].ID); h != 1 || a != 1 {
			t.Errorf("the same feedback sent again: %d history rows, %d audit rows; want 1 and 1", h, a)
		}
		got, err := records.GetDiscrepancy(f.ctx, db.Read(), d1[0].ID, f.receivedAt)
		if err != nil || len(got.FeedbackHistory) != 1 {
			t.Fatalf("history %+v, %v; want the one feedback", got.FeedbackHistory, err)
		}
		f.feedback(rsj, d1[0].ID, "补充说明：已附参保登记表", false)
		if h, a := f.feedbackRows(d1[0].ID); h != 2 || a != 2 {
			t.Errorf("another feedback: %d history rows, %d audit rows; want 2 and 2", h, a)
		}
	})
}

// TestFeedbackStaleRefused: from an old page a department that had
// accepted the other side's value then disputed it (or the reverse), and
// the second feedback overrode the first unseen, sending the discrepancy to
// the operator. A feedback conditioned on a tag the discrepancy no longer
// has (the department's own feedback since, the other side's, a
// resolution) is refused 409 concurrent_update, nothing written; its
// current tag, as the API's JSON gives it (feedback_tag), is taken; an
// empty list of tags matches nothing.
func TestFeedbackStaleRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, _ := f.twoDisputedNames()
		rsj := records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}
		gaj := records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}
		opened := d1[0].FeedbackTag()
		try := func(by records.Reviewer, tags []string, text string, disputed bool) (records.Discrepancy, error) {
			var d records.Discrepancy
			err := db.Tx(f.ctx, func(tx *sqldb.Tx) (err error) {
				d, err = records.FeedbackIf(f.ctx, tx, by, d1[0].ID, tags, text, &disputed, f.receivedAt)
				return err
			})
			return d, err
		}
		if _, err := try(rsj, []string{opened}, "经核实，本局登记有误，将推送更正", false); err != nil {
			t.Fatal(err)
		}
		stale := func(what string, err error) {
			t.Helper()
			if e := errs.As(err); e == nil || e.Kind != errs.Conflict || e.Code != "concurrent_update" || !strings.Contains(e.Message, "未提交") {
				t.Fatalf("%s: %v, want 409 concurrent_update", what, err)
			}
		}
		_, err := try(rsj, []string{opened}, "经核实本局数据正确，申请协调", true)
		stale("disputing from the page opened before accepting", err)
		_, err = try(rsj, []string{}, "经核实本局数据正确，申请协调", true)
		stale("an empty list of tags", err)
		got, err := records.GetDiscrepancy(f.ctx, db.Read(), d1[0].ID, f.receivedAt)
		if err != nil || got.Contested() || got.DisputedB || len(got.FeedbackHistory) != 1 {
			t.Fatalf("after the stale refusal: %+v, %v; want the accepting feedback alone", got, err)
		}
		// The other side's feedback changes the tag too.
		now := got.FeedbackTag()
		b, err := json.Marshal(got)
		if err != nil || !strings.Contains(string(b), `"feedback_tag":"`+now+`"`) {
			t.Fatalf("JSON %s, %v; want feedback_tag %s", b, err, now)
		}
		if _, err := try(gaj, []string{now}, "经核实，本局登记无误", false); err != nil {
			t.Fatal(err)
		}
		_, err = try(rsj, []string{now}, "经核实本局数据正确，申请协调", true)
		stale("disputing once the other side answered", err)
		got, err = records.GetDiscrepancy(f.ctx, db.Read(), d1[0].ID, f.receivedAt)
		if err != nil {
			t.Fatal(err)
		}
		if d, err := try(rsj, []string{"stale", got.FeedbackTag()}, "经核实本局数据正确，申请协调", true); err != nil || !d.Contested() {
			t.Fatalf("disputing from the current state: %+v, %v; want disputed", d, err)
		}
	})
}
