package web

import (
	"context"
	"strconv"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// deptNames gathers the department names a page shows, by department id,
// so that they are labelled (org.DepartmentLabel: the region after a name
// another department also holds) in one query for the whole page.
type deptNames map[int64][]*string

// add names the department id at name; an id of 0 (none) is left alone.
func (n deptNames) add(id int64, name *string) {
	if id > 0 {
		n[id] = append(n[id], name)
	}
}

// addValue is add for an id written as a string, a facet's value.
func (n deptNames) addValue(id string, name *string) {
	if v, err := strconv.ParseInt(id, 10, 64); err == nil {
		n.add(v, name)
	}
}

// label puts each department's label in place of its names.
func (n deptNames) label(ctx context.Context, q sqldb.Querier) error {
	if len(n) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(n))
	for id := range n {
		ids = append(ids, id)
	}
	labels, err := org.DepartmentLabels(ctx, q, ids)
	if err != nil {
		return err
	}
	for id, names := range n {
		if l, ok := labels[id]; ok {
			for _, s := range names {
				*s = l
			}
		}
	}
	return nil
}
