package catalog

import (
	"context"
	"fmt"
	"strconv"
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
	named, err := departmentsNaming(ctx, q, key, query.DepartmentID)
	if err != nil || len(named.ids) == 0 {
		return nil, err
	}
	// The departments are counted in SQL, ordered and cut there: those
	// whose stored keys end with the text, in the condition that found
	// them (namingCond), with the few unkeyed ones named, not a list of
	// every department named (5,000 ending with 中心).
	b := &sqlb{}
	hq := query
	hq.DepartmentID = 0
	filter(b, by, hq)
	in := `e.department_id IN (SELECT d.id FROM departments d WHERE ` + keyedCond(b, key, query.DepartmentID) + `)`
	if len(named.unkeyed) > 0 {
		in = `(` + in + ` OR e.department_id IN ` + sqldb.In(q, &b.args, named.unkeyed, 0) + `)`
	}
	b.where(in)
	order := `COUNT(*) DESC, e.department_id`
	if len(named.exact) > 0 {
		order = `CASE WHEN e.department_id IN ` + sqldb.In(q, &b.args, named.exact, 0) + ` THEN 0 ELSE 1 END, ` + order
	}
	rows, err := q.QueryContext(ctx, `SELECT e.department_id, COUNT(*), COUNT(*) OVER () FROM catalog_entries e`+b.clause()+
		` GROUP BY e.department_id ORDER BY `+order+` LIMIT `+strconv.Itoa(MaxDepartmentHints), b.args...)
	if err != nil {
		return nil, fmt.Errorf("named departments: %w", err)
	}
	defer rows.Close()
	hints := &DepartmentHints{Items: []DepartmentHint{}}
	for rows.Next() {
		var h DepartmentHint
		if err := rows.Scan(&h.ID, &h.Count, &hints.Total); err != nil {
			return nil, fmt.Errorf("named departments: %w", err)
		}
		h.Name = named.names[h.ID]
		hints.Items = append(hints.Items, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("named departments: %w", err)
	}
	if len(hints.Items) == 0 {
		return nil, nil
	}
	return hints, nil
}

// namedDepartments are the departments a search's text names
// (departmentsNaming): their ids in order, names, those named whole (the
// text is their name or short name), and those named whose keys are not
// stored (unkeyed: an empty name_key).
type namedDepartments struct {
	ids, exact, unkeyed []int64
	names               map[int64]string
}

// departmentsNaming returns the departments but except whose name or
// short name has key (text.NameKey) or ends with it. It compares by key
// only those namingCond finds in SQL, not every department.
func departmentsNaming(ctx context.Context, q sqldb.Querier, key string, except int64) (namedDepartments, error) {
	b := &sqlb{}
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.name, d.short_name, d.name_key FROM departments d WHERE `+namingCond(b, key, except)+` ORDER BY d.id`, b.args...)
	if err != nil {
		return namedDepartments{}, fmt.Errorf("named departments: %w", err)
	}
	defer rows.Close()
	named := namedDepartments{names: map[int64]string{}}
	for rows.Next() {
		var id int64
		var name, short, stored string
		if err := rows.Scan(&id, &name, &short, &stored); err != nil {
			return namedDepartments{}, fmt.Errorf("named departments: %w", err)
		}
		nk, sk := text.NameKey(name), text.NameKey(short)
		if !strings.HasSuffix(nk, key) && (sk == "" || !strings.HasSuffix(sk, key)) {
			continue
		}
		named.ids = append(named.ids, id)
		named.names[id] = name
		if nk == key || sk == key {
			named.exact = append(named.exact, id)
		}
		if stored == "" {
			named.unkeyed = append(named.unkeyed, id)
		}
	}
	if err := rows.Err(); err != nil {
		return namedDepartments{}, fmt.Errorf("named departments: %w", err)
	}
	return named, nil
}

// namingCond is an SQL condition on the departments d, its arguments in
// b, that holds for every department but except whose name or short name
// has a key (text.NameKey) ending with key, and for few others: those
// whose stored keys (name_key, short_name_key) end with key, and those
// whose keys are not stored (an empty name_key, written by a server older than
// the keys during a rolling upgrade), which Go alone can compare. Go
// compares them all again (SQLite's LIKE ignores ASCII case).
func namingCond(b *sqlb, key string, except int64) string {
	return `d.id <> ` + b.arg(except) + ` AND (` + keysEnd(b, key) + ` OR d.name_key = '')`
}

// keyedCond is namingCond less the departments whose keys are not stored.
func keyedCond(b *sqlb, key string, except int64) string {
	return `d.id <> ` + b.arg(except) + ` AND (` + keysEnd(b, key) + `)`
}

// keysEnd is an SQL condition on the departments d, its argument in b,
// that holds when name_key or short_name_key ends with key.
func keysEnd(b *sqlb, key string) string {
	like := b.arg("%" + likeEscaper.Replace(key))
	return `d.name_key LIKE ` + like + ` ESCAPE '\' OR d.short_name_key LIKE ` + like + ` ESCAPE '\'`
}
