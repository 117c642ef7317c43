package records

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// The overview of a province's aggregation a page at a time: the
// departments that have received data, searched and paged as the
// organisation's lists are, with the quality and the stale entries of the
// page's departments only, and the staleness of a page of entries. Each
// reads the page's departments' or entries' rows, never all.

// DataDepartment is a department some of whose entries have received data.
type DataDepartment struct {
	ID   int64
	Name string
}

// hasData selects the departments d some of whose entries have received
// data: those DepartmentQuality lists.
const hasData = `EXISTS (SELECT 1 FROM record_entry_stats s JOIN catalog_entries c ON c.id = s.entry_id
	WHERE s.department_id = d.id)`

// DataDepartments returns the departments f selects (its name search,
// keyset cursor and limit, as org.FindDepartments) that have received
// data, ordered by id, and the cursor of the next page: the last id, 0
// when no more follow.
func DataDepartments(ctx context.Context, q sqldb.Querier, f org.DepartmentFilter) ([]DataDepartment, int64, error) {
	where, args := f.Where("d.")
	limit := ""
	if f.Limit > 0 {
		limit = " LIMIT " + strconv.Itoa(f.Limit+1)
	}
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.name FROM departments d WHERE `+where+` AND `+hasData+` ORDER BY d.id`+limit, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("departments with data: %w", err)
	}
	defer rows.Close()
	out := []DataDepartment{}
	for rows.Next() {
		var d DataDepartment
		if err := rows.Scan(&d.ID, &d.Name); err != nil {
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

// CountDataDepartments counts the departments DataDepartments selects on
// every page (f's After and Limit are ignored).
func CountDataDepartments(ctx context.Context, q sqldb.Querier, f org.DepartmentFilter) (int, error) {
	f.After = 0
	where, args := f.Where("d.")
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM departments d WHERE `+where+` AND `+hasData, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count departments with data: %w", err)
	}
	return n, nil
}

// DepartmentQualityOf is DepartmentQuality for those of the departments
// ids that have received data, in department id order: a page of a list
// of departments.
func DepartmentQualityOf(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, ids []int64, now time.Time) ([]Quality, error) {
	if len(ids) == 0 {
		return []Quality{}, nil
	}
	return departmentQuality(ctx, q, cal, qualityQuery{departmentIDs: ids}, now)
}

// StaleOf lists those of the entries ids that are stale (as Stale decides),
// in id order: the staleness of a page of a list of entries.
func StaleOf(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, ids []int64, now time.Time) ([]StaleEntry, error) {
	if len(ids) == 0 {
		return []StaleEntry{}, nil
	}
	return staleOf(ctx, q, cal, staleFilter{entryIDs: ids}, now)
}

// StaleByDepartment counts the stale entries (as Stale lists them) of each
// of the departments ids; one without any is absent. Only these
// departments' entries are read.
func StaleByDepartment(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, ids []int64, now time.Time) (map[int64]int, error) {
	out := map[int64]int{}
	if len(ids) == 0 {
		return out, nil
	}
	stale, err := staleOf(ctx, q, cal, staleFilter{departmentIDs: ids}, now)
	if err != nil {
		return nil, err
	}
	for _, s := range stale {
		out[s.DepartmentID]++
	}
	return out, nil
}

// placeholders adds ids to a query's arguments with arg and returns their
// placeholders, for an IN list.
func placeholders(arg func(any) string, ids []int64) string {
	in := make([]string, len(ids))
	for i, id := range ids {
		in[i] = arg(id)
	}
	return strings.Join(in, ", ")
}
