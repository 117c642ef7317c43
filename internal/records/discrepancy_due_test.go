package records_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepancyDueMicroseconds: a discrepancy's feedback deadline is
// stored to the microsecond, as PostgreSQL keeps it, so that both engines
// answer the same due_at (the last microsecond of the fifth working day),
// where SQLite kept the nanoseconds of the calendar's last instant.
func TestDiscrepancyDueMicroseconds(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, _ := f.twoDisputedNames()
		want := calendar.Default().AddWorkingDays(f.receivedAt, records.FeedbackDays).Truncate(time.Microsecond)
		for _, d := range []records.Discrepancy{d1[0], f.get(d1[0].ID)} {
			if !d.DueAt.Equal(want) {
				t.Errorf("discrepancy %d is due at %s, want %s", d.ID, d.DueAt.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
			}
		}
	})
}

func (f *fixture) get(id int64) records.Discrepancy {
	f.t.Helper()
	d, err := records.GetDiscrepancy(f.ctx, f.db.Read(), id, f.receivedAt)
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}
