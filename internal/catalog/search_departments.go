package catalog

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

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
	// The departments are counted in SQL, ordered and cut there: the
	// candidates' condition again, less the ones whose keys do not end
	// with the text (or the named ones alone, when fewer), not a list of
	// every department named (5,000 ending with 中心).
	b := &sqlb{}
	hq := query
	hq.DepartmentID = 0
	filter(b, by, hq)
	var in string
	if len(named.ids) <= len(named.others) {
		in = sqldb.In(q, &b.args, named.ids, 0)
	} else {
		in = `(SELECT d.id FROM departments d WHERE ` + namingCond(b, key, query.DepartmentID)
		if len(named.others) > 0 {
			in += ` AND d.id NOT IN ` + sqldb.In(q, &b.args, named.others, 0)
		}
		in += `)`
	}
	b.where(`e.department_id IN ` + in)
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
// (departmentsNaming): their ids in order, names, and those named whole
// (the text is their name or short name); others are the departments the
// SQL condition (namingCond) found that the text does not name.
type namedDepartments struct {
	ids, exact, others []int64
	names              map[int64]string
}

// departmentsNaming returns the departments but except whose name or
// short name has key (text.NameKey) or ends with it. It compares by key
// only those namingCond finds in SQL, not every department.
func departmentsNaming(ctx context.Context, q sqldb.Querier, key string, except int64) (namedDepartments, error) {
	b := &sqlb{}
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.name, d.short_name FROM departments d WHERE `+namingCond(b, key, except)+` ORDER BY d.id`, b.args...)
	if err != nil {
		return namedDepartments{}, fmt.Errorf("named departments: %w", err)
	}
	defer rows.Close()
	named := namedDepartments{names: map[int64]string{}}
	for rows.Next() {
		var id int64
		var name, short string
		if err := rows.Scan(&id, &name, &short); err != nil {
			return namedDepartments{}, fmt.Errorf("named departments: %w", err)
		}
		nk, sk := text.NameKey(name), text.NameKey(short)
		if !strings.HasSuffix(nk, key) && (sk == "" || !strings.HasSuffix(sk, key)) {
			named.others = append(named.others, id)
			continue
		}
		named.ids = append(named.ids, id)
		named.names[id] = name
		if nk == key || sk == key {
			named.exact = append(named.exact, id)
		}
	}
	if err := rows.Err(); err != nil {
		return namedDepartments{}, fmt.Errorf("named departments: %w", err)
	}
	return named, nil
}

// namingCond is an SQL condition on the departments d, its arguments in
// b, that holds for every department but except whose name or short name
// has a key (text.NameKey) ending with key, and for few others: the name
// or short name holds each Han character of key, as itself or as a
// character whose key holds it (hanSources: 中 as ㊥, 心 as ⼼), in LIKE
// patterns, which both engines compare by code point. A Han character
// stays itself through NameKey's folding, whatever stands around it, so
// that the condition cannot leave out a department the text names. Other
// characters (letters and digits, which many forms fold to, and which may
// compose with the marks following) are not looked for; a key of them
// alone has every department compared by key in Go.
func namingCond(b *sqlb, key string, except int64) string {
	cond := `d.id <> ` + b.arg(except)
	var forms [][]string
	seen := map[rune]bool{}
	for _, r := range key {
		if seen[r] || !unicode.Is(unicode.Han, r) {
			continue
		}
		seen[r] = true
		rs := append([]rune{r}, hanSources()[r]...)
		if len(rs) > maxHanForms {
			continue
		}
		var args []string
		for _, f := range rs {
			args = append(args, b.arg("%"+string(f)+"%"))
		}
		forms = append(forms, args)
	}
	if len(forms) == 0 {
		return cond
	}
	holds := func(col string) string {
		var and []string
		for _, args := range forms {
			var or []string
			for _, p := range args {
				or = append(or, col+` LIKE `+p)
			}
			and = append(and, "("+strings.Join(or, " OR ")+")")
		}
		return strings.Join(and, " AND ")
	}
	return cond + ` AND (` + holds("d.name") + ` OR ` + holds("d.short_name") + `)`
}

// maxHanForms bounds the forms of a Han character namingCond looks for.
const maxHanForms = 8

// hanSources maps each Han character to the other characters whose key
// (text.NameKey) holds it: compatibility ideographs (U+F9D1 for 六),
// Kangxi radicals (⼼ for 心), enclosed ideographs (㊥ for 中, ㍿ for 株).
// Only a character NFKC decomposes can: another has itself or nothing as
// its key, or one in another case, which is not Han. It takes some 40 ms,
// once.
var hanSources = sync.OnceValue(func() map[rune][]rune {
	m := map[rune][]rune{}
	var buf [utf8.UTFMax]byte
	for c := rune(0); c <= unicode.MaxRune; c++ {
		if !utf8.ValidRune(c) || norm.NFKC.Properties(buf[:utf8.EncodeRune(buf[:], c)]).Decomposition() == nil {
			continue
		}
		for _, r := range text.NameKey(string(c)) {
			if r != c && unicode.Is(unicode.Han, r) && !slices.Contains(m[r], c) {
				m[r] = append(m[r], c)
			}
		}
	}
	return m
})
