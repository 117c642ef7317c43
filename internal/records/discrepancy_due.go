package records

import (
	"context"
	"fmt"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// feedbackDue is the feedback deadline of a discrepancy found at found:
// the end of the FeedbackDays-th working day after it by cal, stored to
// the microsecond, as PostgreSQL keeps it (SQLite would keep the
// nanoseconds of the calendar's last instant of the day).
func feedbackDue(cal *calendar.Calendar, found time.Time) time.Time {
	return cal.AddWorkingDays(found, FeedbackDays).UTC().Truncate(time.Microsecond)
}

// RecomputeDueDates sets the feedback deadline of every discrepancy not
// closed (open or awaiting its correction) to the one cal gives from the
// time it was found (feedbackDue), where it differs, in one transaction,
// and returns how many it changed. A deadline is stored when the
// discrepancy is found, by the calendar the platform ran with then: one
// found before a year's holiday arrangement was loaded counted the
// notice's days off as working days (found on 2027-02-03, due 02-10 in the
// Spring Festival), and its departments were listed overdue while on
// holiday. The server calls it at start, with the calendar it runs with
// (server.Maintain), so that stored deadlines follow the calendar as new
// ones do. Closed discrepancies keep theirs: their deadline has passed
// into their history.
func RecomputeDueDates(ctx context.Context, db *sqldb.DB, cal *calendar.Calendar) (int, error) {
	changed := 0
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		changed = 0
		rows, err := tx.QueryContext(ctx, `SELECT id, found_at, due_at FROM record_discrepancies
			WHERE status IN ('open', 'awaiting_correction') ORDER BY id`)
		if err != nil {
			return fmt.Errorf("recompute due dates: %w", err)
		}
		type due struct {
			id int64
			at time.Time
		}
		var wrong []due
		for rows.Next() {
			var id int64
			var found, at time.Time
			if err := rows.Scan(&id, &found, &at); err != nil {
				rows.Close()
				return err
			}
			if want := feedbackDue(cal, found); !want.Equal(at) {
				wrong = append(wrong, due{id, want})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range wrong {
			res, err := tx.ExecContext(ctx, `UPDATE record_discrepancies SET due_at = $2
				WHERE id = $1 AND status IN ('open', 'awaiting_correction')`, d.id, d.at)
			if err != nil {
				return fmt.Errorf("recompute due date of discrepancy %d: %w", d.id, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				changed++
			}
		}
		return nil
	})
	return changed, err
}
