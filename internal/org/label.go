package org

import (
	"context"
	"slices"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// DepartmentLabel is how a page or a message names a department: its
// name, followed by its region's name in full-width brackets when another
// department has the same name. Names are unique within a region only
// (every city has its 市司法局), and a bare name that another department
// also holds tells a reader nothing; a name no other department holds
// stays bare. A disabled department counts: its entries and records are
// still shown.
func DepartmentLabel(name, region string, shared bool) string {
	if !shared || region == "" {
		return name
	}
	return name + "（" + region + "）"
}

// DepartmentLabels returns the labels (DepartmentLabel) of the departments
// ids, by id, in one query whatever their number (the names looked up by
// their index); an id no department has is left out. When a namesake's
// region has the same name too (鼓楼区 of 南京市 and of 徐州市), the
// region is named after its parent region, 区市场监督管理局（南京市鼓楼区）:
// regions hold their parent's code, and a parent's name is all the data
// tells the two apart by (a region without a parent keeps its name
// alone). Namesakes are every other department of the name, disabled or
// not: a disabled department's entries, records and audit rows are still
// shown, beside its namesakes', and a label must not change with a
// namesake's state.
func DepartmentLabels(ctx context.Context, q sqldb.Querier, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	ids = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id <= 0 })
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return out, nil
	}
	var args []any
	in := sqldb.In(q, &args, ids, 0)
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.name, r.name, COALESCE(p.name, ''),
		EXISTS (SELECT 1 FROM departments o WHERE o.name = d.name AND o.id <> d.id),
		EXISTS (SELECT 1 FROM departments o JOIN regions orr ON orr.code = o.region_code
			WHERE o.name = d.name AND o.id <> d.id AND orr.name = r.name)
		FROM departments d JOIN regions r ON r.code = d.region_code LEFT JOIN regions p ON p.code = r.parent_code
		WHERE d.id IN `+in, args...)
	if err != nil {
		return nil, wrap("department labels", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name, region, parent string
		var shared, regionShared bool
		if err := rows.Scan(&id, &name, &region, &parent, &shared, &regionShared); err != nil {
			return nil, wrap("department labels", err)
		}
		if regionShared {
			region = parent + region
		}
		out[id] = DepartmentLabel(name, region, shared)
	}
	return out, wrap("department labels", rows.Err())
}
