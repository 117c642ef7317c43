package catalog_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSubmitUnchangedAnnual: a published entry with no revision whose
// yearly review is due (or falls due within catalog.ConfirmWindow) is
// submitted as it stands: Submit opens a revision identical to the version
// in force and submits it, audited as a submission with
// unchanged_confirmation, bound by the tag of the version in force; the
// approval clears review_due. Earlier it stays 409 nothing_to_submit,
// saying from which day it can be confirmed, and writes nothing.
func TestSubmitUnchangedAnnual(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		count := func(query string, args ...any) int {
			t.Helper()
			var n int
			if err := db.Read().QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		submit := func(at time.Time, tags []string) (catalog.Entry, error) {
			return step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.SubmitIf(ctx, tx, w.gaj, e.ID, tags, at)
			})
		}

		// Half a year on: nothing to submit, and the message says when.
		_, err := submit(t0.AddDate(0, 6, 0), nil)
		if ee := errs.As(err); ee == nil || ee.Code != "nothing_to_submit" || !strings.Contains(ee.Message, "2027-02-01") {
			t.Errorf("half a year on: %v, want nothing_to_submit from 2027-02-01", err)
		}
		if n := count(`SELECT count(*) FROM catalog_entry_versions WHERE entry_id = $1`, e.ID); n != 1 {
			t.Errorf("refused submission left %d versions", n)
		}

		// Reviewed 2026-03-02 (Beijing), due from 2027-03-03, confirmed from 2027-02-01.
		if !catalog.ConfirmDue(e, bj(2027, 3, 3, 0, 0)) || !catalog.ConfirmDue(e, bj(2027, 2, 1, 0, 0)) ||
			catalog.ConfirmDue(e, bj(2027, 1, 31, 23, 59)) {
			t.Error("ConfirmDue: want true when due and within the window only")
		}
		// Last reviewed long ago (Get judges review_due by the clock).
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET reviewed_at = $2 WHERE id = $1`,
			e.ID, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		due := time.Now()
		before, err := catalog.Get(ctx, db.Read(), w.gaj, e.ID)
		if err != nil || !before.ReviewDue {
			t.Fatalf("reviewed in 2020: review_due %v (%v)", before.ReviewDue, err)
		}
		tag, err := catalog.WorkingTag(ctx, db.Read(), before)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := submit(due, []string{"0-1-stale"}); errs.As(err) == nil || errs.As(err).Code != "concurrent_update" {
			t.Errorf("stale tag: %v, want concurrent_update", err)
		}
		got, err := submit(due, []string{tag})
		if err != nil {
			t.Fatalf("unchanged confirmation: %v", err)
		}
		if got.Status != catalog.Published || got.WorkingVersion != 2 || got.WorkingStatus != catalog.Submitted || got.Version != 1 {
			t.Errorf("confirmed: status %s, working %d %s, version %d", got.Status, got.WorkingVersion, got.WorkingStatus, got.Version)
		}
		v1, err := catalog.GetVersion(ctx, db.Read(), w.operator, e.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		v2, err := catalog.GetVersion(ctx, db.Read(), w.operator, e.ID, 2)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(v1.Resource, v2.Resource) || !catalog.Diff(v1.Resource, v2.Resource).Empty() {
			t.Errorf("revision differs from the version in force:\n%+v\n%+v", v2.Resource, v1.Resource)
		}
		if n := count(`SELECT count(*) FROM audit_log WHERE action = 'catalog.submit' AND detail LIKE '%unchanged_confirmation%'`); n != 1 {
			t.Errorf("%d submit rows saying unchanged confirmation, want 1", n)
		}
		if n := count(`SELECT count(*) FROM audit_log WHERE action = 'catalog.update'`); n != 0 {
			t.Errorf("%d catalog.update rows, want none", n)
		}
		if _, err := submit(due, nil); errs.As(err) == nil || errs.As(err).Code != "nothing_to_submit" {
			t.Errorf("submitted twice: %v, want nothing_to_submit", err)
		}

		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, e.ID, due)
		}); err != nil {
			t.Fatalf("approve: %v", err)
		}
		after, err := catalog.Get(ctx, db.Read(), w.gaj, e.ID)
		if err != nil || after.ReviewDue || after.Version != 2 || after.WorkingVersion != 0 {
			t.Errorf("approved: review_due %v, version %d, working %d (%v)", after.ReviewDue, after.Version, after.WorkingVersion, err)
		}

		// Within the window before it falls due: allowed too.
		soon := bj(2027, 2, 1, 1, 0)
		other := household()
		other.Name = "户籍人口迁移信息"
		o := publish(t, w, w.gaj, other)
		if got, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, o.ID, soon)
		}); err != nil || got.WorkingStatus != catalog.Submitted {
			t.Errorf("within %v of due: %v, %s", catalog.ConfirmWindow, err, got.WorkingStatus)
		}
	})
}
