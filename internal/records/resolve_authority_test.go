package records_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestResolveAuthorityValue: a resolution naming as authority an entry
// that is not one of the discrepancy's two (-5, another entry) is refused
// invalid_authority, for the authoritative department and the other party
// alike, where the named source's department was told not_authoritative
// (403) as if it might not resolve. A department that is no party is
// answered as if there were no such discrepancy (404), told nothing of it,
// with the denied audit row its caller records; nothing changes.
func TestResolveAuthorityValue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, _ := f.twoDisputedNames()
		other := recordstest.Department(t, db, "民政局", 3)
		for _, by := range []records.Reviewer{
			{Actor: f.pusher.Actor, DepartmentID: f.gaj},
			{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj},
		} {
			for _, authority := range []int64{-5, f.sb + 1000} {
				_, err := f.resolve(by, d1[0].ID, authority)
				if e := errs.As(err); e == nil || e.Kind != errs.Invalid || e.Code != "invalid_authority" || e.Field != "authoritative_entry_id" {
					t.Errorf("department %d naming %d: %v, want invalid invalid_authority", by.DepartmentID, authority, err)
				}
			}
		}
		_, err := f.resolve(records.Reviewer{Actor: recordstest.Pusher(other).Actor, DepartmentID: other}, d1[0].ID, -5)
		if e := errs.As(err); e == nil || e.Kind != errs.NotFound || e.Code != "discrepancy_not_found" {
			t.Errorf("no party naming -5: %v, want not found", err)
		}
		if ev, ok := records.RefusedEvent(err); !ok || ev.Outcome != audit.Denied || ev.Detail != `{"reason":"not_party"}` {
			t.Errorf("no party naming -5: audit row %+v, %v; want a denied one, not_party", ev, ok)
		}
		if got, err := records.GetDiscrepancy(f.ctx, db.Read(), d1[0].ID, f.receivedAt); err != nil || got.Status != "open" {
			t.Errorf("after the refusals: %+v, %v; want open", got, err)
		}
	})
}
