package catalog

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Fields of the search index, as bits of catalog_search_tokens.fields.
const (
	inName     = 1
	inAbstract = 2
	inItems    = 4
)

// index replaces the search tokens and item keys of entry id with r's.
func index(ctx context.Context, tx *sqldb.Tx, id int64, r Resource) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM catalog_search_tokens WHERE entry_id = $1`, id); err != nil {
		return fmt.Errorf("clear search tokens: %w", err)
	}
	fields := map[string]int{}
	indexTokens(r.Name, func(t string) { fields[t] |= inName })
	indexTokens(r.Abstract, func(t string) { fields[t] |= inAbstract })
	for _, it := range r.Items {
		indexTokens(it.Name, func(t string) { fields[t] |= inItems })
	}
	tokens := make([]string, 0, len(fields))
	for t := range fields {
		tokens = append(tokens, t)
	}
	sort.Strings(tokens)
	const batch = 300
	for len(tokens) > 0 {
		n := min(batch, len(tokens))
		var sb strings.Builder
		args := make([]any, 0, 3*n)
		for i, t := range tokens[:n] {
			if i > 0 {
				sb.WriteString(",")
			}
			fmt.Fprintf(&sb, "($%d,$%d,$%d)", 3*i+1, 3*i+2, 3*i+3)
			args = append(args, t, id, fields[t])
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_search_tokens (token, entry_id, fields) VALUES `+sb.String(), args...); err != nil {
			return fmt.Errorf("insert search tokens: %w", err)
		}
		tokens = tokens[n:]
	}
	return indexItems(ctx, tx, id, r)
}

// Sort orders search results.
type Sort string

const (
	ByRelevance Sort = "relevance" // exact name, name contains, name has all, abstract, items; then newest
	ByName      Sort = "name"
	ByUpdated   Sort = "updated" // newest first
)

// Query is a catalog search. Zero values mean "any".
type Query struct {
	Text            string
	DepartmentID    int64
	Domain          string
	ShareType       ShareType
	ShareMethod     ShareMethod
	UpdateFrequency Frequency
	SecurityLevel   int
	OpenAttribute   OpenAttribute
	SubjectKind     SubjectKind
	SharedOnly      bool // leave out entries not shared (不予共享)
	// Statuses filters by status; empty means published only. Entries not
	// published or retired are only found by their department and the operator.
	Statuses []Status
	// ReviewDue finds published entries not reviewed for ReviewInterval
	// before Now.
	ReviewDue bool
	Now       time.Time
	Sort      Sort
	Cursor    string // from Page.NextCursor
	Limit     int    // default 20, at most 100
	Facets    bool   // compute Page.Facets and Page.Total
}

// Summary is one search hit.
type Summary struct {
	ID              int64         `json:"id"`
	Code            string        `json:"code"`
	Name            string        `json:"name"`
	Abstract        string        `json:"abstract"`
	DepartmentID    int64         `json:"department_id"`
	DepartmentName  string        `json:"department_name"`
	Status          Status        `json:"status"`
	Domain          string        `json:"domain"`
	DomainLabel     string        `json:"domain_label"`
	ShareType       ShareType     `json:"share_type"`
	ShareMethods    []ShareMethod `json:"share_methods"`
	UpdateFrequency Frequency     `json:"update_frequency"`
	SecurityLevel   int           `json:"security_level"`
	OpenAttribute   OpenAttribute `json:"open_attribute"`
	SubjectKind     SubjectKind   `json:"subject_kind"`
	UpdatedAt       time.Time     `json:"updated_at"`
	ReviewDue       bool          `json:"review_due"`
}

// FacetCount is how many hits have one value of a facet.
type FacetCount struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// Facet names, as keys of Page.Facets.
var facetNames = []string{"department_id", "domain", "share_type", "share_methods", "update_frequency", "security_level", "open_attribute"}

// Page is one page of search results.
type Page struct {
	Items      []Summary               `json:"items"`
	NextCursor string                  `json:"next_cursor,omitempty"`
	Total      int                     `json:"total"`
	Facets     map[string][]FacetCount `json:"facets,omitempty"`
}

type cursor struct {
	Sort    Sort      `json:"s"`
	Rank    int       `json:"r"`
	Updated time.Time `json:"u"`
	Name    string    `json:"n"`
	ID      int64     `json:"i"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c) // a struct of plain fields always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, sort Sort) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Sort != sort {
		return nil, errs.Field("cursor", "invalid_cursor", "分页游标无效，请从第一页重新查询")
	}
	return &c, nil
}

// sqlb collects the conditions and arguments of a query.
type sqlb struct {
	conds []string
	args  []any
}

func (b *sqlb) arg(v any) string {
	b.args = append(b.args, v)
	return "$" + strconv.Itoa(len(b.args))
}

func (b *sqlb) where(cond string) { b.conds = append(b.conds, cond) }

func (b *sqlb) clause() string {
	if len(b.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(b.conds, " AND ")
}

// Search finds catalog entries by Chinese full text and filters. Every
// query token must occur in the name, abstract or an item name. A
// one-character query matches that character; longer ones match all their
// character pairs, which the relevance order then sorts: exact name first,
// then names containing the query, names holding all its characters,
// abstracts, item names; newer first within each.
func Search(ctx context.Context, q sqldb.Querier, by Actor, query Query) (Page, error) {
	if query.Sort == "" {
		query.Sort = ByRelevance
	}
	if query.Sort != ByRelevance && query.Sort != ByName && query.Sort != ByUpdated {
		return Page{}, errs.Field("sort", "invalid_sort", "排序方式应为 relevance、name 或 updated")
	}
	if query.Limit <= 0 {
		query.Limit = 20
	}
	query.Limit = min(query.Limit, 100)
	cur, err := decodeCursor(query.Cursor, query.Sort)
	if err != nil {
		return Page{}, err
	}
	b := &sqlb{}
	from, matched := matchFrom(b, query.Text)
	filter(b, by, query)
	base := from + b.clause()
	facetArgs := append([]any(nil), b.args...) // the rank's arguments come after
	page, err := searchPage(ctx, q, b, base, rankExpr(b, query.Text, matched), query, cur)
	if err != nil || !query.Facets {
		return page, err
	}
	page.Facets, page.Total, err = facets(ctx, q, facetArgs, base)
	return page, err
}

// matchFrom returns the FROM clause joining the entries to the query's
// token matches, and whether the query has tokens.
func matchFrom(b *sqlb, text string) (from string, matched bool) {
	const entries = ` FROM catalog_entries e`
	tokens := queryTokens(text)
	if len(tokens) == 0 {
		return entries, false
	}
	var m string
	if len(tokens) == 1 {
		m = `(SELECT entry_id, fields & 1 AS n, fields & 2 AS a FROM catalog_search_tokens WHERE token = ` + b.arg(tokens[0]) + `)`
	} else {
		marks := make([]string, len(tokens))
		for i, t := range tokens {
			marks[i] = b.arg(t)
		}
		m = `(SELECT entry_id, MIN(fields & 1) AS n, MIN(fields & 2) AS a FROM catalog_search_tokens
			WHERE token IN (` + strings.Join(marks, ",") + `) GROUP BY entry_id HAVING COUNT(*) = ` + strconv.Itoa(len(tokens)) + `)`
	}
	return ` FROM ` + m + ` m JOIN catalog_entries e ON e.id = m.entry_id`, true
}

// rankExpr is the relevance of a hit: 0 exact name, 1 name contains the
// query, 2 name holds all its tokens, 3 abstract does, 4 otherwise.
func rankExpr(b *sqlb, text string, matched bool) string {
	if !matched {
		return "0"
	}
	key := foldWidth(collapse(text))
	like := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(key)
	return `CASE WHEN e.name_key = ` + b.arg(key) + ` THEN 0 WHEN e.name_key LIKE ` + b.arg("%"+like+"%") +
		` ESCAPE '\' THEN 1 WHEN m.n = 1 THEN 2 WHEN m.a = 2 THEN 3 ELSE 4 END`
}

func filter(b *sqlb, by Actor, query Query) {
	if !by.Operator {
		b.where(`(e.status IN ('published', 'retired') OR e.department_id = ` + b.arg(by.DepartmentID) + `)`)
	}
	statuses := query.Statuses
	if len(statuses) == 0 {
		statuses = []Status{Published}
	}
	marks := make([]string, len(statuses))
	for i, s := range statuses {
		marks[i] = b.arg(string(s))
	}
	b.where(`e.status IN (` + strings.Join(marks, ",") + `)`)
	eq := func(col string, v any, set bool) {
		if set {
			b.where(col + ` = ` + b.arg(v))
		}
	}
	eq("e.department_id", query.DepartmentID, query.DepartmentID != 0)
	eq("e.domain", query.Domain, query.Domain != "")
	eq("e.share_type", string(query.ShareType), query.ShareType != "")
	eq("e.update_frequency", string(query.UpdateFrequency), query.UpdateFrequency != "")
	eq("e.security_level", query.SecurityLevel, query.SecurityLevel != 0)
	eq("e.open_attribute", string(query.OpenAttribute), query.OpenAttribute != "")
	eq("e.subject_kind", string(query.SubjectKind), query.SubjectKind != "")
	if query.SharedOnly {
		b.where(`e.share_type <> 'none'`)
	}
	if query.ShareMethod != "" {
		b.where(`e.share_methods & ` + strconv.Itoa(methodBits([]ShareMethod{query.ShareMethod})) + ` <> 0`)
	}
	if query.ReviewDue {
		b.where(`e.status = 'published' AND e.reviewed_at < ` + b.arg(query.Now.Add(-ReviewInterval).UTC()))
	}
}

// summaryColumns are selected in the inner query; the department name is
// looked up in the outer one, only for the rows of the page.
const summaryColumns = `e.id, e.code, e.name, e.abstract, e.department_id, e.status, e.domain, e.share_type,
	e.share_methods, e.update_frequency, e.security_level, e.open_attribute, e.subject_kind, e.updated_at, e.reviewed_at`

func searchPage(ctx context.Context, q sqldb.Querier, b *sqlb, base, rank string, query Query, cur *cursor) (Page, error) {
	args := append([]any(nil), b.args...)
	pb := &sqlb{args: args}
	var order string
	switch query.Sort {
	case ByRelevance:
		order = `rank, updated_at DESC, id DESC`
		if rank == "0" {
			order = `updated_at DESC, id DESC` // no text: newest first, served by an index
		}
		if cur != nil {
			r, u, i := pb.arg(cur.Rank), pb.arg(cur.Updated), pb.arg(cur.ID)
			pb.where(`(rank > ` + r + ` OR (rank = ` + r + ` AND (updated_at < ` + u + ` OR (updated_at = ` + u + ` AND id < ` + i + `))))`)
		}
	case ByUpdated:
		order = `updated_at DESC, id DESC`
		if cur != nil {
			u, i := pb.arg(cur.Updated), pb.arg(cur.ID)
			pb.where(`(updated_at < ` + u + ` OR (updated_at = ` + u + ` AND id < ` + i + `))`)
		}
	case ByName:
		order = `name, id`
		if cur != nil {
			n, i := pb.arg(cur.Name), pb.arg(cur.ID)
			pb.where(`(name > ` + n + ` OR (name = ` + n + ` AND id > ` + i + `))`)
		}
	}
	sql := `SELECT id, code, name, abstract, department_id,
		(SELECT d.name FROM departments d WHERE d.id = x.department_id) AS department_name, status, domain, share_type, share_methods,
		update_frequency, security_level, open_attribute, subject_kind, updated_at, reviewed_at, rank
		FROM (SELECT ` + summaryColumns + `, ` + rank + ` AS rank` + base + `) x` + pb.clause() +
		` ORDER BY ` + order + ` LIMIT ` + strconv.Itoa(query.Limit+1)
	rows, err := q.QueryContext(ctx, sql, pb.args...)
	if err != nil {
		return Page{}, fmt.Errorf("search catalog: %w", err)
	}
	defer rows.Close()
	page := Page{Items: []Summary{}}
	var last cursor
	for rows.Next() {
		s, r, err := scanSummary(rows, query.Now)
		if err != nil {
			return page, fmt.Errorf("search catalog: %w", err)
		}
		if len(page.Items) == query.Limit {
			page.NextCursor = last.encode()
			break
		}
		page.Items = append(page.Items, s)
		last = cursor{Sort: query.Sort, Rank: r, Updated: s.UpdatedAt, Name: s.Name, ID: s.ID}
	}
	return page, rows.Err()
}

func scanSummary(rows interface{ Scan(...any) error }, now time.Time) (Summary, int, error) {
	var s Summary
	var methods, rank int
	var reviewed *time.Time
	err := rows.Scan(&s.ID, &s.Code, &s.Name, &s.Abstract, &s.DepartmentID, &s.DepartmentName, &s.Status, &s.Domain,
		&s.ShareType, &methods, &s.UpdateFrequency, &s.SecurityLevel, &s.OpenAttribute, &s.SubjectKind, &s.UpdatedAt,
		&reviewed, &rank)
	s.UpdatedAt = s.UpdatedAt.UTC()
	s.DomainLabel = domains.label(s.Domain)
	s.ShareMethods = []ShareMethod{}
	for i, o := range shareMethods {
		if methods&(1<<i) != 0 {
			s.ShareMethods = append(s.ShareMethods, ShareMethod(o.Code))
		}
	}
	if now.IsZero() {
		now = time.Now()
	}
	s.ReviewDue = s.Status == Published && reviewed != nil && now.Sub(*reviewed) > ReviewInterval
	return s, rank, err
}

// facets counts the hits of base per value of every facet, and in total.
func facets(ctx context.Context, q sqldb.Querier, args []any, base string) (map[string][]FacetCount, int, error) {
	parts := []string{
		`SELECT 'department_id', CAST(x.department_id AS TEXT), MIN(d.name), COUNT(*) FROM x
			JOIN departments d ON d.id = x.department_id GROUP BY x.department_id`,
		`SELECT 'domain', domain, '', COUNT(*) FROM x GROUP BY domain`,
		`SELECT 'share_type', share_type, '', COUNT(*) FROM x GROUP BY share_type`,
		`SELECT 'update_frequency', update_frequency, '', COUNT(*) FROM x GROUP BY update_frequency`,
		`SELECT 'security_level', CAST(security_level AS TEXT), '', COUNT(*) FROM x GROUP BY security_level`,
		`SELECT 'open_attribute', open_attribute, '', COUNT(*) FROM x GROUP BY open_attribute`,
	}
	for i, o := range shareMethods {
		parts = append(parts, fmt.Sprintf(`SELECT 'share_methods', '%s', '', COUNT(*) FROM x WHERE share_methods & %d <> 0`, o.Code, 1<<i))
	}
	sql := `WITH x AS MATERIALIZED (SELECT e.department_id, e.domain, e.share_type, e.share_methods,
		e.update_frequency, e.security_level, e.open_attribute` + base + `) ` + strings.Join(parts, " UNION ALL ")
	rows, err := q.QueryContext(ctx, sql, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("catalog facets: %w", err)
	}
	defer rows.Close()
	out := make(map[string][]FacetCount, len(facetNames))
	for _, name := range facetNames {
		out[name] = []FacetCount{}
	}
	total := 0
	for rows.Next() {
		var f FacetCount
		var name string
		if err := rows.Scan(&name, &f.Value, &f.Label, &f.Count); err != nil {
			return nil, 0, fmt.Errorf("catalog facets: %w", err)
		}
		if name == "department_id" {
			total += f.Count
		}
		if f.Count == 0 {
			continue
		}
		if f.Label == "" {
			f.Label = facetLabel(name, f.Value)
		}
		out[name] = append(out[name], f)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for _, fs := range out {
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].Count > fs[j].Count })
	}
	return out, total, nil
}

func facetLabel(name, value string) string {
	if name == "security_level" {
		return value + "级"
	}
	return vocabularies[name].label(value)
}
