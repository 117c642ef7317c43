package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// MaxDepartmentHints bounds the departments a search names
// (DepartmentHints.Items); DepartmentHints.Total counts them all.
const MaxDepartmentHints = 10

// DepartmentHint is a department a search's text names, and how many
// entries the list filtered by it in place of the text holds.
type DepartmentHint struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// DepartmentHints are the departments a search's text names
// (NamedDepartments): at most MaxDepartmentHints of Total.
type DepartmentHints struct {
	Items []DepartmentHint `json:"items"`
	Total int              `json:"total"`
}

// NamedDepartments returns the departments query's text names as a whole,
// so that a reader who typed a department's name into the search box is
// led to its entries, which the text finds only when their names or
// abstracts hold it (厦门市公安局's 厦门交通电子警察点位信息 does not), or
// nil when it names none. The text names a department whose name or short
// name is the text, or ends with it (统计局 names 厦门市统计局 and
// 芜湖市统计局, 市公安局 厦门市公安局), compared by key (text.NameKey: white
// space, punctuation and width aside) and of two characters at least.
// Each department's Count is what the reader (by) finds in the list under
// query's filters with the department filter set to it and no text: the
// list the hint leads to, whose entries by may see (another department's
// drafts not, the public catalog's unshared entries not). A department of
// which the list holds nothing is left out, and so is the one the list is
// already filtered by. Departments named exactly come first, then those
// with more entries; at most MaxDepartmentHints, Total counting them all.
func NamedDepartments(ctx context.Context, q sqldb.Querier, by Actor, query Query) (*DepartmentHints, error) {
	key := text.NameKey(query.Text)
	if utf8.RuneCountInString(key) < 2 {
		return nil, nil
	}
	named, ids, err := departmentsNaming(ctx, q, key, query.DepartmentID)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	b := &sqlb{}
	hq := query
	hq.DepartmentID = 0
	filter(b, by, hq)
	b.where(`e.department_id IN ` + sqldb.In(q, &b.args, ids, 0))
	rows, err := q.QueryContext(ctx, `SELECT e.department_id, COUNT(*) FROM catalog_entries e`+b.clause()+
		` GROUP BY e.department_id`, b.args...)
	if err != nil {
		return nil, fmt.Errorf("named departments: %w", err)
	}
	defer rows.Close()
	counts := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("named departments: %w", err)
		}
		counts[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("named departments: %w", err)
	}
	var hints []DepartmentHint
	for _, id := range ids {
		if counts[id] > 0 {
			hints = append(hints, DepartmentHint{ID: id, Name: named[id].name, Count: counts[id]})
		}
	}
	if len(hints) == 0 {
		return nil, nil
	}
	slices.SortFunc(hints, func(a, b DepartmentHint) int {
		ea, eb := named[a.ID].exact, named[b.ID].exact
		switch {
		case ea != eb && ea:
			return -1
		case ea != eb:
			return 1
		case a.Count != b.Count:
			return b.Count - a.Count
		}
		return int(a.ID - b.ID)
	})
	return &DepartmentHints{Total: len(hints), Items: hints[:min(len(hints), MaxDepartmentHints)]}, nil
}

// namedDepartment is a department a search's text names: its name, and
// whether the text is its name or short name whole.
type namedDepartment struct {
	name  string
	exact bool
}

// departmentsNaming returns the departments but except whose name or
// short name has key (text.NameKey) or ends with it, and their ids in
// order.
func departmentsNaming(ctx context.Context, q sqldb.Querier, key string, except int64) (named map[int64]namedDepartment, ids []int64, err error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, short_name FROM departments ORDER BY id`)
	if err != nil {
		return nil, nil, fmt.Errorf("named departments: %w", err)
	}
	defer rows.Close()
	named = map[int64]namedDepartment{}
	for rows.Next() {
		var id int64
		var name, short string
		if err := rows.Scan(&id, &name, &short); err != nil {
			return nil, nil, fmt.Errorf("named departments: %w", err)
		}
		if id == except {
			continue
		}
		nk, sk := text.NameKey(name), text.NameKey(short)
		if strings.HasSuffix(nk, key) || sk != "" && strings.HasSuffix(sk, key) {
			ids = append(ids, id)
			named[id] = namedDepartment{name: name, exact: nk == key || sk == key}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("named departments: %w", err)
	}
	return named, ids, nil
}
