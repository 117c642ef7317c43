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

// recomputeChunk is how many discrepancies RecomputeDueDates reads and
// updates in one transaction.
var recomputeChunk = 500

// Recomputed is what RecomputeDueDates did: how many deadlines it changed,
// and how many it left because cal does not have the arrangements of every
// year from the discrepancy's finding to its deadline by cal.
type Recomputed struct {
	Changed, Uncovered int
}

// RecomputeDueDates sets the feedback deadline of every discrepancy not
// closed (open or awaiting its correction) to the one cal gives from the
// time it was found (feedbackDue), where it differs, and says how many it
// changed. A deadline is stored when the discrepancy is found, by the
// calendar the platform ran with then: one found before a year's holiday
// arrangement was loaded counted the notice's days off as working days
// (found on 2027-02-03, due 02-10 in the Spring Festival), and its
// departments were listed overdue while on holiday. The server calls it at
// start, with the calendar it runs with (server.Maintain), so that stored
// deadlines follow the calendar as new ones do. Closed discrepancies keep
// theirs: their deadline has passed into their history.
//
// Only a deadline cal knows better is changed: one whose span, from the
// finding to the deadline cal gives, lies in years cal has the
// arrangements of (calendar.CoversSpan). The others are left as stored
// (Uncovered): a server started without the --calendar file, or an older
// one during a rolling upgrade, moved deadlines back onto the holidays
// the stored ones skipped, and two servers of different calendars undid
// each other's. The discrepancies are read and updated recomputeChunk at a
// time, each chunk in its own transaction, so that a start does not hold
// SQLite's one writer over all of them.
func RecomputeDueDates(ctx context.Context, db *sqldb.DB, cal *calendar.Calendar) (Recomputed, error) {
	var done Recomputed
	var after int64
	for {
		var chunk Recomputed
		var last int64
		read := 0
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			chunk, last, read = Recomputed{}, after, 0
			rows, err := tx.QueryContext(ctx, `SELECT id, found_at, due_at FROM record_discrepancies
				WHERE status IN ('open', 'awaiting_correction') AND id > $1 ORDER BY id LIMIT $2`, after, recomputeChunk)
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
				read, last = read+1, id
				want := feedbackDue(cal, found)
				switch {
				case want.Equal(at):
				case !cal.CoversSpan(found, want):
					chunk.Uncovered++
				default:
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
					chunk.Changed++
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done.Changed += chunk.Changed
		done.Uncovered += chunk.Uncovered
		if read < recomputeChunk {
			return done, nil
		}
		after = last
	}
}
