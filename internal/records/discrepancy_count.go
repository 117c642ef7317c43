package records

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// DiscrepancyCounts counts the discrepancies a filter selects, its cursor
// and limit aside.
type DiscrepancyCounts struct {
	Total int64
	// Overdue are the open ones past their feedback deadline that a side
	// has not answered (Discrepancy.Overdue).
	Overdue int64
	// Before are those at or before the cursor (AfterID): the rows of the
	// pages before the one the filter lists.
	Before int64
}

// CountDiscrepancies counts what Discrepancies lists page by page.
func CountDiscrepancies(ctx context.Context, q sqldb.Querier, d sqldb.Dialect, f DiscrepancyFilter, now time.Time) (DiscrepancyCounts, error) {
	args := []any{f.AfterID, now.UTC()}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	// SQLite keeps times as text in the zone they were written in (a
	// deadline in Beijing time), which only julianday compares as instants.
	due := "due_at < $2"
	if d == sqldb.SQLite {
		due = "julianday(due_at) < julianday($2)"
	}
	where := []string{"1 = 1"}
	if f.DepartmentID != 0 {
		p := arg(f.DepartmentID)
		where = append(where, "(department_a = "+p+" OR department_b = "+p+")")
	}
	if f.EntryID != 0 {
		p := arg(f.EntryID)
		where = append(where, "(entry_a = "+p+" OR entry_b = "+p+")")
	}
	if f.SubjectID != "" {
		where = append(where, "subject_id = "+arg(f.SubjectID))
	}
	if f.Status != "" {
		where = append(where, "status = "+arg(f.Status))
	}
	var c DiscrepancyCounts
	err := q.QueryRowContext(ctx, `SELECT count(*),
		COALESCE(SUM(CASE WHEN status = 'open' AND `+due+` AND (feedback_a_at IS NULL OR feedback_b_at IS NULL)
			THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN id <= $1 THEN 1 ELSE 0 END), 0)
		FROM record_discrepancies WHERE `+strings.Join(where, " AND "), args...).Scan(&c.Total, &c.Overdue, &c.Before)
	if err != nil {
		return c, fmt.Errorf("count discrepancies: %w", err)
	}
	return c, nil
}
