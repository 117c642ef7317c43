package catalog

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// PublishingDepartment is a department that is the source (数源部门) of
// published entries: one whose data the aggregation expects, whether it
// has pushed any or not.
type PublishingDepartment struct {
	ID        int64
	Name      string
	Published int // its published entries
}

// publishes selects the departments d that are the source of a published
// entry (by the index catalog_entries_department).
const publishes = `EXISTS (SELECT 1 FROM catalog_entries e WHERE e.department_id = d.id AND e.status = 'published')`

// PublishingDepartments returns the departments f selects (its name
// search, keyset cursor and limit, as org.FindDepartments) that are the
// source of a published entry, ordered by id, each with how many it
// publishes, and the cursor of the next page: the last id, 0 when no more
// follow.
func PublishingDepartments(ctx context.Context, q sqldb.Querier, f org.DepartmentFilter) ([]PublishingDepartment, int64, error) {
	where, args := f.Where("d.")
	limit := ""
	if f.Limit > 0 {
		limit = " LIMIT " + strconv.Itoa(f.Limit+1)
	}
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.name,
		(SELECT count(*) FROM catalog_entries e WHERE e.department_id = d.id AND e.status = 'published')
		FROM departments d WHERE `+where+` AND `+publishes+` ORDER BY d.id`+limit, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("publishing departments: %w", err)
	}
	defer rows.Close()
	out := []PublishingDepartment{}
	for rows.Next() {
		var d PublishingDepartment
		if err := rows.Scan(&d.ID, &d.Name, &d.Published); err != nil {
			return nil, 0, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if f.Limit > 0 && len(out) > f.Limit {
		return out[:f.Limit], out[f.Limit-1].ID, nil
	}
	return out, 0, nil
}

// CountPublishingDepartments counts the departments PublishingDepartments
// selects on every page (f's After and Limit are ignored).
func CountPublishingDepartments(ctx context.Context, q sqldb.Querier, f org.DepartmentFilter) (int, error) {
	f.After = 0
	where, args := f.Where("d.")
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM departments d WHERE `+where+` AND `+publishes, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count publishing departments: %w", err)
	}
	return n, nil
}
