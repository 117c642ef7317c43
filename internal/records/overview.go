package records

import (
	"context"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// The overview of a province's aggregation a page at a time: the quality
// and the stale entries of a page's departments only (the console lists
// the departments with published entries, catalog.PublishingDepartments), and
// the staleness of a page of entries. Each reads the page's departments'
// or entries' rows, never all.

// DepartmentQualityOf is DepartmentQuality for those of the departments
// ids that publish entries, in department id order: a page of a list of
// departments.
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
