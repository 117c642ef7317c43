package catalog

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// Fields of the search index, as bits of catalog_search_tokens.fields.
// nameAbbreviated, with inName, marks a token the name holds only with a
// full form abbreviated (abbreviations): a one-token query it matches ranks
// 2, the name holding it but not containing the query, as in SQL.
const (
	inName          = 1
	inAbstract      = 2
	inItems         = 4
	nameAbbreviated = 8
)

// index replaces the search tokens and item keys of entry id with r's.
// Each posting row also carries, copied from the entry row by the same
// statement, what search filters, ranks and counts on (see attrsSQL, and
// name_len, the length of the name: migration 0020); the triggers of
// migration 0005 keep those copies in step when the entry row changes later
// (status, retirement) and keep catalog_facet_counts (those of 0031 since,
// which count the subject kind too). The name changes
// only with a new head, which index writes again.
func index(ctx context.Context, tx *sqldb.Tx, id int64, r Resource) error {
	if err := writeTokens(ctx, tx, id, tokenFields(r)); err != nil {
		return err
	}
	return indexItems(ctx, tx, id, r)
}

// writeTokens replaces the search tokens of entry id with fields
// (tokenFields), each posting row with the copies of the entry row index
// describes.
func writeTokens(ctx context.Context, tx *sqldb.Tx, id int64, fields map[string]int) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM catalog_search_tokens WHERE entry_id = $1`, id); err != nil {
		return fmt.Errorf("clear search tokens: %w", err)
	}
	tokens := make([]string, 0, len(fields))
	for t := range fields {
		tokens = append(tokens, t)
	}
	sort.Strings(tokens)
	var args []any
	for len(tokens) > 0 {
		shape := tokenShapes[len(tokenShapes)-1]
		for _, s := range tokenShapes {
			if len(tokens) <= s.rows {
				shape = s
				break
			}
		}
		n := min(shape.rows, len(tokens))
		args = append(args[:0], id)
		for _, t := range tokens[:n] {
			args = append(args, t, fields[t])
		}
		for range shape.rows - n {
			args = append(args, nil, nil)
		}
		if _, err := tx.ExecContext(ctx, shape.query, args...); err != nil {
			return fmt.Errorf("insert search tokens: %w", err)
		}
		tokens = tokens[n:]
	}
	return nil
}

// tokenShape is an INSERT of up to rows search tokens of one entry.
type tokenShape struct {
	rows  int
	query string
}

// tokenShapes are the INSERTs index writes tokens with, by size: the
// smallest that holds an entry's tokens, or the largest as often as
// needed, the rows it has no token for NULL, which it skips (at most half
// of them but for entries of fewer than 8 tokens). Before, each entry's
// INSERT had as many rows as the entry has tokens: a text of its own,
// which SQLite parsed anew each time (a third of an import's time, 2.1 of
// 6.6 s for 5,000 entries) and which filled PostgreSQL's statement cache.
var tokenShapes = []tokenShape{tokenInsert(16), tokenInsert(32), tokenInsert(64), tokenInsert(128), tokenInsert(256)}

// tokenInsert returns the INSERT of up to rows search tokens, each a token
// ($2, $4, ...) and its fields ($3, $5, ...), of entry $1.
func tokenInsert(rows int) tokenShape {
	var sb strings.Builder
	for i := range rows {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, "(CAST($%d AS TEXT), CAST($%d AS INTEGER))", 2*i+2, 2*i+3)
	}
	return tokenShape{rows: rows, query: `INSERT INTO catalog_search_tokens (token, entry_id, fields, attrs, department_id, updated_at, name_len)
		SELECT v.column1, e.id, v.column2, ` + attrsSQL("e") + `, e.department_id, e.updated_at, LENGTH(e.name_key)
		FROM (VALUES ` + sb.String() + `) v CROSS JOIN catalog_entries e WHERE e.id = $1 AND v.column1 IS NOT NULL`}
}

// tokenFields returns the search tokens of r, each with the bit set of the
// fields it occurs in, as written or with full forms abbreviated or named
// otherwise (abbreviatedTokens; migrations 0017, 0025 and 0030 add the
// same to entries indexed before).
func tokenFields(r Resource) map[string]int {
	fields := map[string]int{}
	indexTokens(r.Name, true, func(t string) { fields[t] |= inName })
	abbreviatedTokens(r.Name, func(t string) {
		if fields[t]&inName == 0 {
			fields[t] |= inName | nameAbbreviated
		}
	})
	add := func(bit int) func(string) { return func(t string) { fields[t] |= bit } }
	indexTokens(r.Abstract, true, add(inAbstract))
	abbreviatedTokens(r.Abstract, add(inAbstract))
	for _, it := range r.Items {
		indexTokens(it.Name, false, add(inItems)) // no unigrams from item names
		abbreviatedTokens(it.Name, add(inItems))
	}
	return fields
}

// Packed attributes of an entry in catalog_search_tokens.attrs: the index
// of each coded value in its vocabulary, at these bit offsets. A value not
// in the vocabulary packs as all ones of its width (unknown), and a search
// meeting one falls back to plain SQL.
const (
	attrStatus    = 0  // 3 bits: statuses
	attrShareType = 3  // 2 bits: shareTypes
	attrMethods   = 5  // 4 bits: the share_methods bit set
	attrFrequency = 9  // 4 bits: frequencies
	attrSecurity  = 13 // 3 bits: the level 1–4
	attrOpen      = 16 // 2 bits: openAttributes
	attrSubject   = 18 // 2 bits: subjectKinds
	attrDomain    = 20 // 6 bits: domains
)

func caseSQL(col string, v vocab, unknown int) string {
	var sb strings.Builder
	sb.WriteString("(CASE " + col)
	for i, o := range v {
		fmt.Fprintf(&sb, " WHEN '%s' THEN %d", o.Code, i)
	}
	fmt.Fprintf(&sb, " ELSE %d END)", unknown)
	return sb.String()
}

// attrsSQL is the SQL expression packing the coded columns of the
// catalog_entries row named e. Migration 0005 holds it verbatim for e and
// NEW (TestAttrsSQLInMigrations checks).
func attrsSQL(e string) string {
	return "(" + caseSQL(e+".status", statuses, 7) +
		" + 8 * " + caseSQL(e+".share_type", shareTypes, 3) +
		" + 32 * (" + e + ".share_methods & 15)" +
		" + 512 * " + caseSQL(e+".update_frequency", frequencies, 15) +
		" + 8192 * (CASE WHEN " + e + ".security_level BETWEEN 1 AND 4 THEN " + e + ".security_level ELSE 7 END)" +
		" + 65536 * " + caseSQL(e+".open_attribute", openAttributes, 3) +
		" + 262144 * " + caseSQL(e+".subject_kind", subjectKinds, 3) +
		" + 1048576 * " + caseSQL(e+".domain", domains, 63) + ")"
}

// packAttrs is attrsSQL in Go: the packed attributes of an entry of status
// st holding r.
func packAttrs(st Status, r Resource) int64 {
	code := func(v vocab, c string, unknown int) int64 {
		if i := vocabIndex(v, c); i >= 0 {
			return int64(i)
		}
		return int64(unknown)
	}
	level := int64(7)
	if r.SecurityLevel >= 1 && r.SecurityLevel <= 4 {
		level = int64(r.SecurityLevel)
	}
	return code(statuses, string(st), 7)<<attrStatus |
		code(shareTypes, string(r.ShareType), 3)<<attrShareType |
		int64(methodBits(r.ShareMethods)&15)<<attrMethods |
		code(frequencies, string(r.UpdateFrequency), 15)<<attrFrequency |
		level<<attrSecurity |
		code(openAttributes, string(r.OpenAttribute), 3)<<attrOpen |
		code(subjectKinds, string(r.SubjectKind), 3)<<attrSubject |
		code(domains, r.Domain, 63)<<attrDomain
}

// Sort orders search results.
type Sort string

const (
	ByRelevance Sort = "relevance" // exact name, name contains, name has all (shorter names first), abstract, items; then newest
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
	// published or retired are only found by their department and those who
	// review (the operator and its department's reviewers). Draft,
	// Submitted and Rejected also find, for them, the published entries
	// whose revision is in that state (Summary.RevisionStatus): a revision
	// submitted is in the review queue, one compiled or sent back in its
	// department's drafts, while the entry stays among the published.
	Statuses []Status
	// ReviewDue finds published entries due for their yearly review at Now
	// (ReviewDue: last reviewed before ReviewCutoff(Now), by the Beijing
	// calendar date).
	ReviewDue bool
	Now       time.Time
	Sort      Sort
	Cursor    string // from Page.NextCursor
	Limit     int    // default 20, at most 100
	Facets    bool   // compute Page.Facets and Page.Total
	Count     bool   // compute Page.Total only, at less cost than Facets
	// Hints sets Page.Departments on the first page (no Cursor): the
	// departments the text names (NamedDepartments), which a reader paging
	// on has been shown already.
	Hints bool
	// DomainLabels labels the items of domain 其他 with its text
	// (Summary.DomainLabel: 其他（低空经济）), which takes a query more:
	// for the lists that show them (the console's, the API's); without
	// it they are labelled 其他.
	DomainLabels bool
	// list is the fingerprint of the list Search pages (listKey), computed
	// once per search, and wide marks the pages of wideSearch: both are
	// written into the next cursor where a page makes it (searchPage,
	// pageOf).
	list string
	wide bool
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
	// RevisionStatus is the state of the revision of a published entry
	// (draft, submitted or rejected), for its department and those who
	// review; empty when it has none.
	RevisionStatus Status `json:"revision_status,omitempty"`
}

// FacetCount is how many hits have one value of a facet.
type FacetCount struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// Facet names, as keys of Page.Facets.
var facetNames = []string{"department_id", "domain", "share_type", "share_methods", "update_frequency", "security_level", "open_attribute",
	"subject_kind"}

// Page is one page of search results.
type Page struct {
	Items      []Summary               `json:"items"`
	NextCursor string                  `json:"next_cursor,omitempty"`
	Total      int                     `json:"total"` // when asked for (Query.Facets, Query.Count)
	Facets     map[string][]FacetCount `json:"facets,omitempty"`
	// Widened is set when no entry matched the query whole and the items
	// are partial matches (wideSearch): entries holding the query's
	// distinctive words, not all of it.
	Widened bool `json:"widened"`
	// Departments are the departments the query's text names, with the
	// number of entries of each in the list without the text (Query.Hints,
	// NamedDepartments); nil when it names none, and on a page after the
	// first (Query.Cursor).
	Departments *DepartmentHints `json:"department_hints,omitempty"`
}

type cursor struct {
	Sort    Sort      `json:"s"`
	Rank    int       `json:"r"`
	Length  int       `json:"l,omitempty"` // of the name, for ranks 0–2 (see hit.length)
	Updated time.Time `json:"u"`
	Name    string    `json:"n"`
	ID      int64     `json:"i"`
	Wide    bool      `json:"w,omitempty"` // a page of wideSearch
	// List is the fingerprint of the list the cursor pages (listKey): a
	// cursor is refused by another list, query or filters, whose order it
	// would skip rows of.
	List string `json:"f"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c) // a struct of plain fields always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

// hit is the place of c in the order of the fast path, or nil for no cursor.
func (c *cursor) hit() *hit {
	if c == nil {
		return nil
	}
	return &hit{rank: c.Rank, nameLen: c.Length, updated: c.Updated.UnixNano(), id: c.ID}
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
	// The name goes into the query: one PostgreSQL cannot compare (NUL)
	// is no name a page gave.
	if err != nil || c.Sort != sort || !text.Storable(c.Name) {
		return nil, errInvalidCursor()
	}
	return &c, nil
}

func errInvalidCursor() error {
	return errs.Field("cursor", "invalid_cursor", "分页游标无效，请从第一页重新查询")
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

// facetWhere adds q's facet filters to b, on the entries aliased e: the
// department, domain, share type, update frequency, security level, open
// attribute, subject kind and share method asked for, each when set. The
// catalog's search and the retirement requests' list filter alike.
func facetWhere(b *sqlb, q Query) {
	eq := func(col string, v any, set bool) {
		if set {
			b.where(col + ` = ` + b.arg(v))
		}
	}
	eq("e.department_id", q.DepartmentID, q.DepartmentID != 0)
	eq("e.domain", q.Domain, q.Domain != "")
	eq("e.share_type", string(q.ShareType), q.ShareType != "")
	eq("e.update_frequency", string(q.UpdateFrequency), q.UpdateFrequency != "")
	eq("e.security_level", q.SecurityLevel, q.SecurityLevel != 0)
	eq("e.open_attribute", string(q.OpenAttribute), q.OpenAttribute != "")
	eq("e.subject_kind", string(q.SubjectKind), q.SubjectKind != "")
	if q.ShareMethod != "" {
		b.where(`e.share_methods & ` + strconv.Itoa(methodBits([]ShareMethod{q.ShareMethod})) + ` <> 0`)
	}
}

func (b *sqlb) clause() string {
	if len(b.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(b.conds, " AND ")
}

// MaxQueryChars bounds the search text, counted in characters after runs of
// white space are collapsed to one, as written or folded (searchFold),
// whichever is longer: as long as the longest entry name. It also bounds
// the query's tokens (at most one per character of the folded text), which
// the search statements take one column or argument each.
const MaxQueryChars = 100

// checkQueryText refuses a search text with control characters or invalid
// UTF-8 (invalid_characters) or longer than MaxQueryChars (query_too_long).
func checkQueryText(s string) error {
	if !text.Plain(s, true) {
		return errs.Field("q", "invalid_characters", "搜索词含有控制字符或无效的字符编码")
	}
	// Tokens are made from the text folded (searchFold), which NFKC may
	// lengthen (㍿ is 株式会社): the longer count bounds them.
	if n := max(utf8.RuneCountInString(collapse(s)), utf8.RuneCountInString(collapse(text.Fold(s)))); n > MaxQueryChars {
		return errs.Field("q", "query_too_long",
			fmt.Sprintf("搜索词不能超过 %d 个字（当前 %d 个字），请缩短后再搜索", MaxQueryChars, n))
	}
	return nil
}

// Search finds catalog entries by Chinese full text and filters. Every
// query token must occur in the name, abstract or an item name. A
// one-character query matches that character; longer ones match all their
// character pairs, which the relevance order then sorts: exact name first,
// then names containing the query, names holding all its characters,
// abstracts, item names. Within the name ranks a shorter name, closer to
// the query, comes first; newer first among equals. Stop words at the ends
// of the text's Han runs are dropped first (meaningful); a query of several
// bigrams that no entry holds whole finds, in any sort order, those holding
// at least half of its distinctive bigrams (not the generic endings 许可证,
// 证明 …), ranked below, and says so (Page.Widened; wideSearch). A query
// naming a data item or subject by one form of the synonym table
// (synonymGroups: 身份证号码, 出生年月日, 个体户) also finds the entries
// holding another (公民身份号码, 出生日期, 个体工商户; synonymSets). A text
// longer than
// MaxQueryChars is refused (query_too_long), and so is one with control
// characters or invalid UTF-8 (invalid_characters).
func Search(ctx context.Context, q sqldb.Querier, by Actor, query Query) (Page, error) {
	if query.Sort == "" {
		query.Sort = ByRelevance
	}
	if query.Sort != ByRelevance && query.Sort != ByName && query.Sort != ByUpdated {
		return Page{}, errs.Field("sort", "invalid_sort", "排序方式应为 relevance（相关度）、name（名称）或 updated（更新时间）")
	}
	if query.Limit <= 0 {
		query.Limit = 20
	}
	query.Limit = min(query.Limit, 100)
	if err := checkQueryText(query.Text); err != nil {
		return Page{}, err
	}
	cur, err := decodeCursor(query.Cursor, query.Sort)
	if err != nil {
		return Page{}, err
	}
	query.list = listKey(by, query)
	if cur != nil && cur.List != query.list {
		return Page{}, errInvalidCursor()
	}
	var page Page
	if code, ok := codeQuery(query.Text); ok {
		page, err = codeSearch(ctx, q, by, query, code, cur)
	} else {
		page, err = textSearch(ctx, q, by, query, cur)
	}
	for i := range page.Items {
		if s := &page.Items[i]; !by.mayRead(s.DepartmentID) {
			s.RevisionStatus = ""
		}
	}
	if err == nil && query.DomainLabels {
		err = labelOtherDomains(ctx, q, page.Items)
	}
	if err == nil && query.Hints && cur == nil {
		page.Departments, err = NamedDepartments(ctx, q, by, query)
	}
	return page, err
}

// listKey is the fingerprint of the list a search pages: who reads it as
// far as what they see depends on it (the public catalog reads it as no
// one, shared entries alone; a department its own unpublished entries; a
// reviewer all), the text and every filter. Not the sort, which the cursor
// states itself, nor the limit, which may change from page to page. The
// statuses count as the list reads them: none as the default (published),
// each once, in any order.
func listKey(by Actor, query Query) string {
	statuses := []string{string(Published)}
	if len(query.Statuses) > 0 {
		statuses = make([]string, len(query.Statuses))
		for i, s := range query.Statuses {
			statuses[i] = string(s)
		}
	}
	slices.Sort(statuses)
	statuses = slices.Compact(statuses)
	b, _ := json.Marshal([]any{by.Reviews(), by.DepartmentID, query.SharedOnly, collapse(query.Text), query.DepartmentID,
		query.Domain, query.ShareType, query.ShareMethod, query.UpdateFrequency, query.SecurityLevel, query.OpenAttribute,
		query.SubjectKind, statuses, query.ReviewDue}) // plain values always marshal
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(sum[:6])
}

// textSearch is Search by full text (and filters alone). A text with no
// token to search for (😀, %, *) finds nothing, where it browsed the whole
// catalog as if no text were given.
func textSearch(ctx context.Context, q sqldb.Querier, by Actor, query Query, cur *cursor) (Page, error) {
	query.Text = meaningful(query.Text)
	if collapse(query.Text) != "" && len(queryTokens(query.Text)) == 0 {
		return noHits(query), nil
	}
	wide := widens(queryTokens(query.Text))
	if wide && cur != nil && cur.Wide {
		return wideSearch(ctx, q, by, query, cur)
	}
	page, ok, err := fastSearch(ctx, q, by, query, cur)
	if !ok && err == nil {
		page, err = slowSearch(ctx, q, by, query, cur)
	}
	if err == nil && wide && cur == nil && len(page.Items) == 0 {
		page, err = wideSearch(ctx, q, by, query, nil)
	}
	return page, err
}

// noHits is the page of a query that finds nothing: no items, and the
// facets, all zero, when the query asks for them.
func noHits(query Query) Page {
	page := Page{Items: []Summary{}}
	if query.Facets {
		page.Facets = emptyFacets()
	}
	return page
}

// codeQuery reports whether q, folded as a resource code is (text.FoldCode:
// trimmed, full-width forms narrowed, zero-width spaces and BOMs dropped),
// is a resource code or a prefix of one holding at least its
// classification code (6–10 digits starting with the class 1, 2 or 3;
// ValidCode): 101001/000001, 101001/, 101001/0000 or 101001, and returns
// it.
func codeQuery(q string) (string, bool) {
	code := text.FoldCode(q)
	class, _, _ := strings.Cut(code, "/")
	if len(class) < 6 || len(class) > 10 || class[0] < '1' || class[0] > '3' {
		return "", false
	}
	for _, c := range []byte(code) {
		if (c < '0' || c > '9') && c != '/' {
			return "", false
		}
	}
	return code, strings.Count(code, "/") <= 1
}

// codeSearch answers a query that is a resource code or a prefix of one
// (codeQuery) in SQL: the entries whose code is the query (rank 0, found
// by the unique index on catalog_entries.code) or begins with it (rank 1;
// a classification code also finds its details, 101001 finds
// 1010011/000001; codeRange), then the entries the same text finds as any
// other query (its ranks 0–4 as 5–9; slowSearch), each entry once at its
// better rank: a name or abstract holding 110105 or 101001/000001 is found
// as it was before codes were searched. Filters, facets and the total are
// those of the SQL path, over both.
func codeSearch(ctx context.Context, q sqldb.Querier, by Actor, query Query, code string, cur *cursor) (Page, error) {
	b := &sqlb{}
	var byCode, codeRank string
	if ValidCode(code) {
		byCode, codeRank = `c.code = `+b.arg(code), "0"
	} else {
		byCode, codeRank = codeRange(b, "c", code), "1"
	}
	text := meaningful(query.Text)
	tokens := queryTokens(text)
	byText := matchSub(b, widening{tokens: tokens, core: len(tokens)})
	base := ` FROM (SELECT entry_id, MIN(r) AS r, MAX(n) AS n, MAX(a) AS a FROM (
		SELECT c.id AS entry_id, ` + codeRank + ` AS r, 0 AS n, 0 AS a FROM catalog_entries c WHERE ` + byCode + `
		UNION ALL SELECT t.entry_id, 5, t.n, t.a FROM ` + byText + ` t) u GROUP BY entry_id) m
		JOIN catalog_entries e ON e.id = m.entry_id`
	filter(b, by, query)
	base += b.clause()
	baseArgs := append([]any(nil), b.args...)
	rank := `CASE WHEN m.r < 5 THEN m.r ELSE 5 + ` + rankExpr(b, text, true) + ` END`
	page, err := searchPage(ctx, q, b, base, rank, query, cur)
	if err != nil {
		return page, err
	}
	return page, totals(ctx, q, query, &page, baseArgs, base)
}

// codeRange is the condition that the code of the catalog_entries row e
// begins with prefix (digits and at most one "/", codeQuery), as a range
// of the unique index on code, which LIKE does not use (SQLite's is case
// blind, PostgreSQL's needs the C collation): code >= prefix and < the
// prefix with its digits increased by one (101001/ → 101002/, 109999 →
// 110000; the class 1–3 never carries out). The range holds every code
// with the prefix in any collation that orders digits as numbers and "/"
// before them (C, C.UTF-8) or ignores "/" (glibc's en_US.UTF-8 at the
// first level), and the SUBSTR test keeps those alone: in C order the
// range holds other codes too (1010010/… for 101001/), and where "/" is
// ignored 1010010000/… for 101001/0000.
func codeRange(b *sqlb, e, prefix string) string {
	next := []byte(prefix)
	for i := len(next) - 1; i >= 0; i-- {
		if next[i] == '/' {
			continue
		}
		if next[i] < '9' {
			next[i]++
			break
		}
		next[i] = '0'
	}
	return `(` + e + `.code >= ` + b.arg(prefix) + ` AND ` + e + `.code < ` + b.arg(string(next)) +
		` AND SUBSTR(` + e + `.code, 1, ` + strconv.Itoa(len(prefix)) + `) = ` + b.arg(prefix) + `)`
}

// widens reports whether a query of these tokens is widened when no entry
// holds them all: two or more tokens, all bigrams of Han characters. A query with a single character or an ASCII word is not: 籍
// of hu籍 is no share of what the user asked for.
func widens(tokens []string) bool {
	if len(tokens) < 2 {
		return false
	}
	for _, t := range tokens {
		rs := []rune(t)
		if len(rs) != 2 || !isCJK(rs[0]) || !isCJK(rs[1]) {
			return false
		}
	}
	return true
}

// wideSearch answers a query that found no entry holding all its bigrams
// (食品许可证 for 食品经营许可信息, which lacks 品许 and 可证): the entries
// whose name and abstract hold at least half (rounded up) of the
// distinctive bigrams of one of the query's alternatives (身份证或者户口簿)
// that some published or retired entry's name or abstract holds, of an
// alternative of which entries hold more than half (wideTokens,
// heldTokens, widening.alternatives). A generic bigram (许可, 证明,
// 登记 … of the endings of licence and material names) and one joining
// such an ending to the word before it (品许 of 食品许可证) makes no match
// by itself: of 排污许可证 only 排污 counts, which no entry holds, so it
// finds nothing, where it listed every 许可 entry. Of 居民户口簿 only 居民 and
// 户口 count, where 民户 and 口簿 are in no entry. Items are not read: half
// a query among an entry's items is noise, and their postings made it
// slow. On the fast path (wideMatch) when it can, else in SQL. Those
// holding all (written since the first page) come first as they rank in
// slowSearch (ranks 0–4), then the others by the weight of the held
// bigrams they lack, a rare one weighing more (rarity), a generic one 1:
// rank 5×(weight missing) + 2 name holds every bigram matched, 3 the
// abstract does, 4 otherwise; within a rank as in slowSearch, shorter
// names first among name matches. Its pages are marked Widened and their
// cursors Wide, so that later pages come from here too.
func wideSearch(ctx context.Context, q sqldb.Querier, by Actor, query Query, cur *cursor) (Page, error) {
	w, err := widen(ctx, q, query.Text)
	if err != nil || len(w.alts) == 0 {
		return noHits(query), err
	}
	query.wide = true
	page, ok, err := fastWide(ctx, q, by, query, w, cur)
	if !ok && err == nil {
		page, err = sqlSearch(ctx, q, by, query, cur, w)
	}
	page.Widened = true
	return page, err
}

// widen returns what a widened query of text is matched by: its tokens
// some entry holds (heldTokens), weighted, and its alternatives
// (wideTokens); none when no alternative's distinctive part is held.
func widen(ctx context.Context, q sqldb.Querier, text string) (widening, error) {
	alts, generic := wideTokens(text)
	var core []string
	for _, a := range alts {
		for _, t := range a {
			if !slices.Contains(core, t) {
				core = append(core, t)
			}
		}
	}
	w, err := heldTokens(ctx, q, core, generic)
	if err == nil {
		w.alternatives(alts)
	}
	return w, err
}

// genericEndings are the words that end licence, certificate and material
// names (licence_types.csv, service_items.csv: 排污许可证, 收养登记证,
// 出生医学证明, 无犯罪记录证明, 户口本, 居民户口簿, 申请书), longest first
// where one ends another, and genericBigrams their bigrams and the
// commonWords: what many entries hold, so that they say nothing of which
// one the query is about (wideTokens).
var (
	genericEndings = []string{"许可证", "登记证", "许可", "证明", "证书", "登记", "信息", "记录", "备案", "资格", "证", "本", "簿", "书"}
	// commonWords are words of licence and material names that many
	// entries hold whatever they are about (of the 844 entries of
	// catalog.csv: 情况 55, 单位 52, 经营 25, 公开 14, 居民 10, 法人 10, 申请 9,
	// 状况 6), so
	// that they made noise of a widened query whose distinctive word no
	// entry holds: 娱乐经营许可证 listed 食品经营许可信息, 公开募捐资格证书
	// every 公开 entry, 申请书 法律援助信息 (its abstract's 法律援助申请).
	// 证照 is a licence, any.
	commonWords    = []string{"经营", "公开", "居民", "申请", "情况", "状况", "单位", "法人", "证照"}
	genericBigrams = func() map[string]bool {
		m := map[string]bool{}
		for _, w := range commonWords {
			m[w] = true
		}
		for _, e := range genericEndings {
			for rs, i := []rune(e), 0; i+1 < len(rs); i++ {
				m[string(rs[i:i+2])] = true
			}
		}
		return m
	}()
)

// wideTokens splits the bigrams of a widened query (text after stop
// words) into its distinctive ones (core), which make a widened match, and
// the generic others, which only rank it: each Han run's generic endings
// are cut off (收养登记证 → 收养, 无犯罪记录证明 → 无犯罪), and in the rest
// a generic bigram (信息 of 企业信息公示) and the bigrams joining it to its
// neighbours (业信 and 息公, where 业信 is in 律师执业信息) are generic too.
// So the bigrams of the endings, and those joining an ending to the word
// before it (品许 of 食品许可证, 驶证 of 行驶证), are generic.
func wideTokens(text string) (alts [][]string, generic []string) {
	seen := map[string]bool{}
	var parts []string
	han, _ := runs(text)
	for _, h := range han {
		parts = append(parts, alternatives(h)...)
	}
	for _, h := range parts {
		for cut := true; cut; {
			cut = false
			for _, e := range genericEndings {
				if s, ok := strings.CutSuffix(h, e); ok {
					h, cut = s, true
					break
				}
			}
		}
		rs := []rune(h)
		covered := make([]bool, len(rs)) // part of a generic bigram
		for i := 0; i+1 < len(rs); i++ {
			if genericBigrams[string(rs[i:i+2])] {
				covered[i], covered[i+1] = true, true
			}
		}
		var core []string
		for i := 0; i+1 < len(rs); i++ {
			if t := string(rs[i : i+2]); !covered[i] && !covered[i+1] && !slices.Contains(core, t) {
				seen[t] = true
				core = append(core, t)
			}
		}
		alts = append(alts, core)
	}
	for _, t := range queryTokens(strings.Join(parts, " ")) {
		if !seen[t] {
			seen[t] = true
			generic = append(generic, t)
		}
	}
	return alts, generic
}

// alternatives splits a run of Han characters where it lists alternative
// materials (身份证或者户口簿, 身份证及复印件, 营业执照和户口簿): the bigrams
// across a split (证或, 者户) are none of the query's. 或者 always splits;
// 或, 和 and 及 are also inside words (普及, 及时, 涉及, 和解, 共和国,
// 和平区) and split only after a material's name, of two characters or
// more ending as one does (listEndings), before two characters or more or
// at the end of the run (身份证和): 普及率, 和解协议 and 中华人民共和国护照
// are one alternative, their bigrams all the query's.
func alternatives(h string) []string {
	var parts []string
	rs := []rune(h)
	start := 0
	for i := 0; i < len(rs); i++ {
		n := 0
		switch {
		case rs[i] == '或' && i+1 < len(rs) && rs[i+1] == '者':
			n = 2
		case rs[i] == '或' || rs[i] == '和' || rs[i] == '及':
			if after := len(rs) - i - 1; i-start >= 2 && after != 1 && listsMaterial(string(rs[start:i])) {
				n = 1
			}
		}
		if n == 0 {
			continue
		}
		if i > start {
			parts = append(parts, string(rs[start:i]))
		}
		start = i + n
		i = start - 1
	}
	if start < len(rs) {
		parts = append(parts, string(rs[start:]))
	}
	return parts
}

// listEndings are the words that end the names of materials listed in a
// query (alternatives): the generic endings, and 营业执照, 复印件, 申请表,
// 社保卡, 清单, 函, 花名册.
var listEndings = append(slices.Clone(genericEndings), "照", "件", "表", "卡", "单", "函", "册")

// listsMaterial reports whether s ends as a material's name (listEndings).
func listsMaterial(s string) bool {
	for _, e := range listEndings {
		if strings.HasSuffix(s, e) {
			return true
		}
	}
	return false
}

// widening is what a widened query is matched by: the query's bigrams some
// published or retired entry's name or abstract holds, its distinctive ones
// (the first core) before the generic, their weights (heldTokens) and
// the query's alternatives. Nil weights mean no widening: sqlSearch
// matches every token.
type widening struct {
	tokens  []string
	core    int
	weights []int
	alts    []alternative
	// sets, when not nil, are the token sets of the query's synonym
	// variants (synonymSets): a hit holds every token of one of them,
	// not necessarily of tokens. Never with weights.
	sets [][]string
}

// alternative is one of the alternatives of a widened query (wideTokens):
// its distinctive tokens (a bit per index in widening.tokens) and how many
// of them a hit must hold.
type alternative struct {
	mask uint64
	need int
}

// alternatives sets w.alts from the distinctive tokens of each of the
// query's alternatives (wideTokens): those whose distinctive bigrams some
// entry holds, more than half of them, each to be matched by half (rounded
// up) of those held. An alternative of which no more than half is held is
// not in the catalog, and what is held of it alone (基金 of 基金会, 普通 of
// 普通护照, 建设 and 规划 of 乡村建设规划许可证) is noise. A query of more
// than 64 distinctive tokens (the bits of a mask) is not widened.
func (w *widening) alternatives(alts [][]string) {
	if w.core > 64 {
		return
	}
	for _, a := range alts {
		var x alternative
		held := 0
		for _, t := range a {
			if i := slices.Index(w.tokens[:w.core], t); i >= 0 {
				x.mask |= 1 << i
				held++
			}
		}
		if 2*held > len(a) {
			x.need = (held + 1) / 2
			w.alts = append(w.alts, x)
		}
	}
}

// qualifies reports whether a hit holding the distinctive tokens of mask
// holds enough of an alternative's.
func (w *widening) qualifies(mask uint64) bool {
	for _, a := range w.alts {
		if bits.OnesCount64(mask&a.mask) >= a.need {
			return true
		}
	}
	return false
}

// slowSearch answers any query in SQL alone; fastSearch leaves to it what
// it does not serve (review-due lists, browsing with filters, values
// outside the vocabularies).
func slowSearch(ctx context.Context, q sqldb.Querier, by Actor, query Query, cur *cursor) (Page, error) {
	tokens := queryTokens(query.Text)
	return sqlSearch(ctx, q, by, query, cur, widening{tokens: tokens, core: len(tokens), sets: synonymSets(query.Text)})
}

// heldSets returns sets (synonymSets of a query of these tokens) without
// those holding a token that no posting holds, which match nothing; nil
// when none is left but the query's own tokens, which are then matched
// as any query's (firstPage included): 姓名 on a catalog where no entry
// says 名字. One primary-key probe per token.
func heldSets(ctx context.Context, q sqldb.Querier, tokens []string, sets [][]string) ([][]string, error) {
	if sets == nil {
		return nil, nil
	}
	var probe []string
	for _, set := range sets {
		for _, t := range set {
			if !slices.Contains(probe, t) {
				probe = append(probe, t)
			}
		}
	}
	var sb strings.Builder
	args := make([]any, len(probe))
	dest := make([]any, len(probe))
	held := make([]bool, len(probe))
	sb.WriteString("SELECT ")
	for i, t := range probe {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "EXISTS (SELECT 1 FROM catalog_search_tokens WHERE token = $%d)", i+1)
		args[i], dest[i] = t, &held[i]
	}
	if err := q.QueryRowContext(ctx, sb.String(), args...).Scan(dest...); err != nil {
		return nil, fmt.Errorf("search synonyms: %w", err)
	}
	var out [][]string
	for _, set := range sets {
		all := true
		for _, t := range set {
			all = all && held[slices.Index(probe, t)]
		}
		if all {
			out = append(out, set)
		}
	}
	if len(out) == 0 || len(out) == 1 && slices.Equal(out[0], tokens) {
		return nil, nil
	}
	return out, nil
}

// synonymSets returns the token sets of text's synonym variants
// (variants: 身份证号码 is also 公民身份号码 and 身份证号), text's own among
// them, without a set holding another (an entry holding 居民身份证号码's
// bigrams holds 身份证号's): an entry holding every token of one of them
// is a hit. Nil when text holds no synonym, or its own tokens are the
// only set left.
func synonymSets(text string) [][]string {
	vs := variants(text)
	if len(vs) < 2 {
		return nil
	}
	var sets [][]string
	for _, v := range vs {
		if t := queryTokens(v); len(t) > 0 {
			sets = append(sets, t)
		}
	}
	holds := func(a, b []string) bool { // a holds every token of b
		for _, t := range b {
			if !slices.Contains(a, t) {
				return false
			}
		}
		return true
	}
	var out [][]string
	for i, a := range sets {
		redundant := false
		for j, b := range sets {
			// a holds b and is larger, or is the same set seen first
			if i != j && holds(a, b) && (len(a) > len(b) || j < i) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, a)
		}
	}
	if len(out) == 1 && slices.Equal(out[0], queryTokens(text)) {
		return nil
	}
	return out
}

// sqlSearch is slowSearch, the query's tokens (w.tokens) matched, or with
// w.weights wideSearch's match in SQL: the entries whose names and
// abstracts hold enough of an alternative's distinctive tokens, ranked as
// wideSearch says by the weight of the tokens missing.
func sqlSearch(ctx context.Context, q sqldb.Querier, by Actor, query Query, cur *cursor, w widening) (Page, error) {
	b := &sqlb{}
	wide := w.weights != nil
	from, matched := matchFrom(b, w)
	filter(b, by, query)
	base := from + b.clause()
	baseArgs := append([]any(nil), b.args...) // the rank's arguments come after
	rank := rankExpr(b, query.Text, matched)
	if wide {
		total := strconv.Itoa(w.total())
		rank = `(CASE WHEN m.c = ` + total + ` THEN 0 ELSE 5 * (` + total + ` - m.c) END) + ` + rank
	}
	page, err := searchPage(ctx, q, b, base, rank, query, cur)
	if err != nil {
		return page, err
	}
	return page, totals(ctx, q, query, &page, baseArgs, base)
}

// totals sets page's facets and total when query asks for them, or its
// total alone (Query.Count), over the SQL search's base (its FROM and
// WHERE, with baseArgs).
func totals(ctx context.Context, q sqldb.Querier, query Query, page *Page, baseArgs []any, base string) error {
	var err error
	switch {
	case query.Facets:
		page.Facets, page.Total, err = facets(ctx, q, baseArgs, base)
	case query.Count:
		if err = q.QueryRowContext(ctx, `SELECT COUNT(*)`+base, baseArgs...).Scan(&page.Total); err != nil {
			err = fmt.Errorf("catalog count: %w", err)
		}
	}
	return err
}

// matchFrom returns the FROM clause joining the entries to the matches of
// a query's tokens (w.tokens), and whether there are tokens. The matches
// hold every token, or with w.weights (wideSearch) enough of an
// alternative's distinctive ones in names and abstracts; m.c is how many
// tokens they hold, or with w.weights the weight of those held.
func matchFrom(b *sqlb, w widening) (from string, matched bool) {
	if len(w.tokens) == 0 {
		return ` FROM catalog_entries e`, false
	}
	return ` FROM ` + matchSub(b, w) + ` m JOIN catalog_entries e ON e.id = m.entry_id`, true
}

// matchSub is the subquery of matchFrom's matches of w.tokens (at least
// one): entry_id, n (1 when the name holds every token) and a (2 when the
// abstract does), and with several tokens c, how many (or their weight).
func matchSub(b *sqlb, w widening) string {
	if w.sets != nil && w.weights == nil {
		arms := make([]string, len(w.sets))
		for i, set := range w.sets {
			arms[i] = `SELECT entry_id, n, a FROM ` + matchSub(b, widening{tokens: set, core: len(set)}) + ` v` + strconv.Itoa(i)
		}
		return `(SELECT entry_id, MAX(n) AS n, MAX(a) AS a FROM (` + strings.Join(arms, ` UNION ALL `) + `) v GROUP BY entry_id)`
	}
	tokens := w.tokens
	if len(tokens) == 1 && w.weights == nil {
		return `(SELECT entry_id, fields & 1 AS n, fields & 2 AS a FROM catalog_search_tokens WHERE token = ` + b.arg(tokens[0]) + `)`
	}
	marks := make([]string, len(tokens))
	for i, t := range tokens {
		marks[i] = b.arg(t)
	}
	count, cond, held := `COUNT(*)`, ``, `COUNT(*) = `+strconv.Itoa(len(tokens))
	if w.weights != nil {
		var sb strings.Builder
		sb.WriteString(`SUM(CASE token`)
		for i, m := range marks {
			sb.WriteString(` WHEN ` + m + ` THEN ` + strconv.Itoa(w.weights[i]))
		}
		sb.WriteString(` ELSE 0 END)`)
		count, cond = sb.String(), ` AND fields & 3 <> 0`
		var alts []string
		for _, a := range w.alts {
			var in []string
			for i := range w.core {
				if a.mask&(1<<i) != 0 {
					in = append(in, marks[i])
				}
			}
			alts = append(alts, `SUM(CASE WHEN token IN (`+strings.Join(in, ",")+`) THEN 1 ELSE 0 END) >= `+strconv.Itoa(a.need))
		}
		held = `(` + strings.Join(alts, ` OR `) + `)`
	}
	return `(SELECT entry_id, ` + count + ` AS c, MIN(fields & 1) AS n, MIN(fields & 2) AS a FROM catalog_search_tokens
			WHERE token IN (` + strings.Join(marks, ",") + `)` + cond + ` GROUP BY entry_id HAVING ` + held + `)`
}

// rankExpr is the relevance of a hit: 0 exact name, 1 name contains the
// query, 2 name holds all its tokens, 3 abstract does, 4 otherwise. Within
// ranks 0–2 shorter names come first (searchPage's lengthExpr).
func rankExpr(b *sqlb, text string, matched bool) string {
	if !matched {
		return "0"
	}
	key := NameKey(text)
	like := likeEscaper.Replace(key)
	return `CASE WHEN e.name_key = ` + b.arg(key) + ` THEN 0 WHEN e.name_key LIKE ` + b.arg("%"+like+"%") +
		` ESCAPE '\' THEN 1 WHEN m.n = 1 THEN 2 WHEN m.a = 2 THEN 3 ELSE 4 END`
}

func filter(b *sqlb, by Actor, query Query) {
	if !by.Reviews() {
		b.where(`(e.status IN ('published', 'retired') OR e.department_id = ` + b.arg(by.DepartmentID) + `)`)
	}
	statuses := query.Statuses
	if len(statuses) == 0 {
		statuses = []Status{Published}
	}
	cond := `e.status IN (` + argList(b, statuses) + `)`
	if rs := revisionStates(statuses); len(rs) > 0 {
		rev := `e.revision_state IN (` + argList(b, rs) + `)`
		if !by.Reviews() {
			rev += ` AND e.department_id = ` + b.arg(by.DepartmentID)
		}
		cond = `(` + cond + ` OR ` + rev + `)`
	}
	b.where(cond)
	if inProgress(statuses) {
		b.where(inProgressSQL)
	}
	facetWhere(b, query)
	if query.SharedOnly {
		b.where(`e.share_type <> 'none'`)
	}
	if query.ReviewDue {
		// The lower bound, before any review, is what has SQLite read
		// catalog_entries_review_due (migration 0048): with only the
		// number of rows of each index as statistics it takes a range
		// of one bound for a quarter of the published entries, whose
		// sort costs more than walking all of them in the list's order
		// (catalog_entries_status_updated) for the few due; a range of
		// two bounds it takes for far fewer (TestReviewDuePlan).
		// PostgreSQL's statistics tell that the bound holds for every
		// entry.
		b.where(`e.status = 'published' AND e.reviewed_at >= ` + b.arg(reviewEpoch) + ` AND e.reviewed_at < ` +
			b.arg(ReviewCutoff(query.Now).UTC()))
	}
}

// reviewEpoch is before any review (filter's lower bound of ReviewDue).
var reviewEpoch = time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)

// argList adds statuses to b's arguments and returns their placeholders.
func argList(b *sqlb, statuses []Status) string {
	marks := make([]string, len(statuses))
	for i, s := range statuses {
		marks[i] = b.arg(string(s))
	}
	return strings.Join(marks, ",")
}

// inProgressSQL is the predicate of the partial index of the entries being
// compiled or reviewed (catalog_entries_in_progress, migration 0028),
// which SQLite uses only when the query states it: TestInProgressPlan.
const inProgressSQL = `(e.status IN ('draft', 'submitted', 'rejected') OR e.revision_state <> '')`

// inProgress reports whether every one of statuses finds entries being
// compiled or reviewed alone (draft, submitted, rejected, and the
// revisions in those states), so that a search for them may state
// inProgressSQL: the review queue and the drafts. With sqlite_stat1 alone
// SQLite takes each status, and each revision state, for a large share of
// the catalog, and read every entry for them.
func inProgress(statuses []Status) bool {
	for _, s := range statuses {
		if s != Draft && s != Submitted && s != Rejected {
			return false
		}
	}
	return len(statuses) > 0
}

// revisionStates returns the states among statuses that a revision of a
// published entry may be in (draft, submitted, rejected), which find that
// entry too (catalog_entries.revision_state, migration 0027); none when
// statuses hold Published, which finds it by its status.
func revisionStates(statuses []Status) []Status {
	if slices.Contains(statuses, Published) {
		return nil
	}
	var out []Status
	for _, s := range statuses {
		if s == Draft || s == Submitted || s == Rejected {
			out = append(out, s)
		}
	}
	return out
}

// summaryColumns are selected in the inner query; the department name is
// looked up in the outer one, only for the rows of the page.
const summaryColumns = `e.id, e.code, e.name, e.abstract, e.department_id, e.status, e.domain, e.share_type,
	e.share_methods, e.update_frequency, e.security_level, e.open_attribute, e.subject_kind, e.updated_at, e.reviewed_at, e.revision_state`

// lengthExpr is the second key of the relevance order over searchPage's
// rows, as hit.length: the name's length for a name match (ranks 0–2, and
// wideSearch's 7, 12 …), shorter first, else 0.
const lengthExpr = `(CASE WHEN rank % 5 <= 2 THEN name_len ELSE 0 END)`

func searchPage(ctx context.Context, q sqldb.Querier, b *sqlb, base, rank string, query Query, cur *cursor) (Page, error) {
	args := append([]any(nil), b.args...)
	pb := &sqlb{args: args}
	var order string
	length := lengthExpr
	switch query.Sort {
	case ByRelevance:
		order = `rank, ` + length + `, updated_at DESC, id DESC`
		if rank == "0" {
			length = "0"
			order = `updated_at DESC, id DESC` // no text: newest first, served by an index
		}
		if cur != nil {
			r, l, u, i := pb.arg(cur.Rank), pb.arg(cur.Length), pb.arg(cur.Updated), pb.arg(cur.ID)
			pb.where(`(rank > ` + r + ` OR (rank = ` + r + ` AND (` + length + ` > ` + l + ` OR (` + length + ` = ` + l +
				` AND (updated_at < ` + u + ` OR (updated_at = ` + u + ` AND id < ` + i + `))))))`)
		}
	case ByUpdated:
		order = `updated_at DESC, id DESC`
		if cur != nil {
			u, i := pb.arg(cur.Updated), pb.arg(cur.ID)
			pb.where(`(updated_at < ` + u + ` OR (updated_at = ` + u + ` AND id < ` + i + `))`)
		}
	case ByName:
		order = `name, id`
		if cur != nil && len(revisionStates(query.Statuses)) > 0 {
			// Revisions join these statuses (filter's OR of status and
			// revision_state): no index serves them in name order, and
			// the engines read the few entries found (the drafts, the
			// review queue: catalog_entries_in_progress) and sort them.
			// On name itself the cursor would be a bound of
			// catalog_entries_name (of catalog_entries_status_name after
			// one status), which SQLite, taking each status for a third
			// of the catalog, prefers, walking every name past the
			// cursor for a few drafts; name || '' orders as name does,
			// by its collation, and bounds no index
			// (TestInProgressNamePagesPlan).
			pb.where(`(name || '', id) > (` + pb.arg(cur.Name) + `, ` + pb.arg(cur.ID) + `)`)
		} else if cur != nil {
			// A row value, which both engines read as a bound of
			// catalog_entries_name (migration 0048), or of
			// catalog_entries_status_name after one status, where the
			// OR of its terms had every entry past the cursor sorted;
			// with a department, of catalog_entries_department_name
			// after it (migration 0052), so that a department holding
			// most of the catalog is not read whole and sorted each
			// page (TestDepartmentNamePagesPlan).
			pb.where(`(name, id) > (` + pb.arg(cur.Name) + `, ` + pb.arg(cur.ID) + `)`)
		}
	}
	sql := `SELECT id, code, name, abstract, department_id,
		(SELECT d.name FROM departments d WHERE d.id = x.department_id) AS department_name, status, domain, share_type, share_methods,
		update_frequency, security_level, open_attribute, subject_kind, updated_at, reviewed_at, revision_state, rank, ` + length + `
		FROM (SELECT ` + summaryColumns + `, ` + rank + ` AS rank, LENGTH(e.name_key) AS name_len` + base + `) x` + pb.clause() +
		` ORDER BY ` + order + ` LIMIT ` + strconv.Itoa(query.Limit+1)
	rows, err := q.QueryContext(ctx, sql, pb.args...)
	if err != nil {
		return Page{}, fmt.Errorf("search catalog: %w", err)
	}
	defer rows.Close()
	page := Page{Items: []Summary{}}
	var last cursor
	for rows.Next() {
		s, r, l, err := scanSummary(rows, query.Now)
		if err != nil {
			return page, fmt.Errorf("search catalog: %w", err)
		}
		if len(page.Items) == query.Limit {
			page.NextCursor = last.encode()
			break
		}
		page.Items = append(page.Items, s)
		last = cursor{Sort: query.Sort, Rank: r, Length: l, Updated: s.UpdatedAt, Name: s.Name, ID: s.ID, Wide: query.wide,
			List: query.list}
	}
	return page, rows.Err()
}

func scanSummary(rows interface{ Scan(...any) error }, now time.Time) (s Summary, rank, length int, err error) {
	var methods int
	var reviewed *time.Time
	err = rows.Scan(&s.ID, &s.Code, &s.Name, &s.Abstract, &s.DepartmentID, &s.DepartmentName, &s.Status, &s.Domain,
		&s.ShareType, &methods, &s.UpdateFrequency, &s.SecurityLevel, &s.OpenAttribute, &s.SubjectKind, &s.UpdatedAt,
		&reviewed, &s.RevisionStatus, &rank, &length)
	fillSummary(&s, methods, reviewed, now)
	return s, rank, length, err
}

func fillSummary(s *Summary, methods int, reviewed *time.Time, now time.Time) {
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
	s.ReviewDue = s.Status == Published && reviewed != nil && reviewed.Before(ReviewCutoff(now))
}

// labelOtherDomains labels the items of domain 其他 with its text, as the
// entry's page does (Resource.DomainLabel: 其他（低空经济）), where the list
// said 其他 and the page the text alone. The text is kept in the entries'
// data only, read for those items alone, when the search asks for it
// (Query.DomainLabels).
func labelOtherDomains(ctx context.Context, q sqldb.Querier, items []Summary) error {
	var ids []int64
	for _, s := range items {
		if s.Domain == DomainOther {
			ids = append(ids, s.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var args []any
	rows, err := q.QueryContext(ctx, `SELECT id, data FROM catalog_entries WHERE id IN `+sqldb.In(q, &args, ids, 0), args...)
	if err != nil {
		return fmt.Errorf("search catalog: %w", err)
	}
	defer rows.Close()
	labels := map[int64]string{}
	for rows.Next() {
		var id int64
		var data string
		var r struct {
			Domain      string `json:"domain"`
			DomainOther string `json:"domain_other"`
		}
		if err := rows.Scan(&id, &data); err != nil {
			return fmt.Errorf("search catalog: %w", err)
		}
		if err := json.Unmarshal([]byte(data), &r); err != nil {
			return fmt.Errorf("search catalog: entry %d: %w", id, err)
		}
		labels[id] = domainLabel(r.Domain, r.DomainOther)
	}
	for i := range items {
		if l, ok := labels[items[i].ID]; ok {
			items[i].DomainLabel = l
		}
	}
	return rows.Err()
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
		`SELECT 'subject_kind', subject_kind, '', COUNT(*) FROM x GROUP BY subject_kind`,
	}
	for i, o := range shareMethods {
		parts = append(parts, fmt.Sprintf(`SELECT 'share_methods', '%s', '', COUNT(*) FROM x WHERE share_methods & %d <> 0`, o.Code, 1<<i))
	}
	sql := `WITH x AS MATERIALIZED (SELECT e.department_id, e.domain, e.share_type, e.share_methods,
		e.update_frequency, e.security_level, e.open_attribute, e.subject_kind` + base + `) ` + strings.Join(parts, " UNION ALL ")
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

// The fast path (docs/catalog-search.md). A text query reads the postings
// of its rarest token in one index range scan, which carry the packed
// attributes, department and update time of their entry; the other tokens
// are checked against those candidates, by reading their postings when few
// or by primary-key lookups. Ranking, filtering, facet counts and the
// order are computed in Go over the hits, and only the page's entries are
// read from catalog_entries. Browsing without a query takes its facet
// counts from catalog_facet_counts.

// hit is an entry matching a query.
type hit struct {
	id, dept, attrs int64
	updated         int64  // Unix nanoseconds
	name, abstract  bool   // every query token occurs in the name / the abstract
	abbreviated     bool   // the name holds the rarest token only through an abbreviation
	missing         int    // weight of the query tokens its name and abstract lack (wideMatch); 0 for every other hit
	core            uint64 // distinctive query tokens its name and abstract hold, a bit per index (wideMatch)
	rank            int
	nameLen         int // characters of the name (name_len; firstPage reads it for name matches only)
}

// length is the hit's second key in the relevance order, after its rank:
// for a name match (ranks 0–2, and wideSearch's 7, 12 …) the length of the
// name, shorter first, as the query is the larger share of a shorter name;
// 0 for the others, which stay newest first. lengthExpr is the same in SQL.
func (h *hit) length() int {
	if h.rank%5 <= 2 {
		return h.nameLen
	}
	return 0
}

func attr(a int64, off, width uint) int { return int(a>>off) & (1<<width - 1) }

// matcher applies a Query's filters and the reader's visibility to packed
// attributes.
type matcher struct {
	reviews    bool // sees every department's entries in every state
	department int64
	statuses   int // bit per index in statuses
	q          Query
	want       [8]int // per attribute offset index below; -1 any
	methodBit  int
}

// attribute offsets and widths, in the order of matcher.want.
var attrFields = []struct {
	off, width uint
	vocab      vocab
}{
	{attrShareType, 2, shareTypes}, {attrFrequency, 4, frequencies}, {attrOpen, 2, openAttributes},
	{attrSubject, 2, subjectKinds}, {attrDomain, 6, domains},
}

func vocabIndex(v vocab, code string) int {
	for i, o := range v {
		if o.Code == code {
			return i
		}
	}
	return -1
}

// newMatcher returns false when a filter value is outside its vocabulary
// (left to the SQL path, which simply finds nothing), and when the
// statuses find revisions of published entries (revisionStates): the
// postings pack the entry's status alone, and these views (the review
// queue, a department's drafts) are small; and when the query asks for
// entries due for review, which the postings do not hold.
func newMatcher(by Actor, query Query) (matcher, bool) {
	if query.ReviewDue {
		return matcher{}, false
	}
	m := matcher{reviews: by.Reviews(), department: by.DepartmentID, q: query}
	sts := query.Statuses
	if len(sts) == 0 {
		sts = []Status{Published}
	}
	if len(revisionStates(sts)) > 0 {
		return m, false
	}
	for _, s := range sts {
		i := vocabIndex(statuses, string(s))
		if i < 0 {
			return m, false
		}
		m.statuses |= 1 << i
	}
	for i, v := range []string{string(query.ShareType), string(query.UpdateFrequency), string(query.OpenAttribute),
		string(query.SubjectKind), query.Domain} {
		m.want[i] = -1
		if v != "" {
			if m.want[i] = vocabIndex(attrFields[i].vocab, v); m.want[i] < 0 {
				return m, false
			}
		}
	}
	if query.ShareMethod != "" {
		i := vocabIndex(shareMethods, string(query.ShareMethod))
		if i < 0 {
			return m, false
		}
		m.methodBit = 1 << i
	}
	if query.SecurityLevel != 0 && (query.SecurityLevel < 1 || query.SecurityLevel > 4) {
		return m, false
	}
	return m, true
}

var (
	publishedIndex = vocabIndex(statuses, string(Published))
	retiredIndex   = vocabIndex(statuses, string(Retired))
	notSharedIndex = vocabIndex(shareTypes, string(NotShared))
)

// known reports whether every packed attribute is in its vocabulary.
func known(a int64) bool {
	if attr(a, attrStatus, 3) >= len(statuses) || attr(a, attrSecurity, 3) == 7 {
		return false
	}
	for _, f := range attrFields {
		if attr(a, f.off, f.width) >= len(f.vocab) {
			return false
		}
	}
	return true
}

// match reports whether an entry passes the filters.
func (m *matcher) match(a, dept int64) bool {
	st := attr(a, attrStatus, 3)
	if m.statuses&(1<<st) == 0 {
		return false
	}
	if !m.reviews && st != publishedIndex && st != retiredIndex && dept != m.department {
		return false
	}
	if m.q.DepartmentID != 0 && dept != m.q.DepartmentID {
		return false
	}
	for i, f := range attrFields {
		if m.want[i] >= 0 && attr(a, f.off, f.width) != m.want[i] {
			return false
		}
	}
	if m.q.SharedOnly && attr(a, attrShareType, 2) == notSharedIndex {
		return false
	}
	if m.methodBit != 0 && attr(a, attrMethods, 4)&m.methodBit == 0 {
		return false
	}
	return m.q.SecurityLevel == 0 || attr(a, attrSecurity, 3) == m.q.SecurityLevel
}

// fastSearch answers query when it can; ok is false when it leaves the
// query to slowSearch.
func fastSearch(ctx context.Context, q sqldb.Querier, by Actor, query Query, cur *cursor) (Page, bool, error) {
	m, ok := newMatcher(by, query)
	if !ok {
		return Page{}, false, nil
	}
	tokens := queryTokens(query.Text)
	if len(tokens) == 0 {
		return browse(ctx, q, by, query, cur)
	}
	sets, err := heldSets(ctx, q, tokens, synonymSets(query.Text))
	if err != nil {
		return Page{}, true, err
	}
	if sets == nil && len(tokens) == 1 && query.Sort == ByRelevance && cur == nil {
		if page, ok, err := firstPage(ctx, q, query, tokens[0], &m); ok || err != nil {
			return page, ok, err
		}
	}
	var hits []hit
	if sets == nil {
		var ok bool
		if hits, ok, err = match(ctx, q, tokens, &m); !ok || err != nil {
			return Page{}, ok, err
		}
	} else {
		// The hits of each set, each entry once: its name (abstract) holds
		// every token of a set when it does so for one of them.
		at := map[int64]int{}
		for _, set := range sets {
			hs, ok, err := match(ctx, q, set, &m)
			if !ok || err != nil {
				return Page{}, ok, err
			}
			for _, h := range hs {
				if i, ok := at[h.id]; ok {
					hits[i].name = hits[i].name || h.name
					hits[i].abstract = hits[i].abstract || h.abstract
					continue
				}
				at[h.id] = len(hits)
				hits = append(hits, h)
			}
		}
	}
	return answer(ctx, q, by, query, cur, widening{tokens: tokens, core: len(tokens), sets: sets}, hits)
}

// fastWide is wideSearch on the fast path (wideMatch) for the query's
// tokens heldTokens keeps (w); ok is false when it leaves the query to
// SQL, as fastSearch does.
func fastWide(ctx context.Context, q sqldb.Querier, by Actor, query Query, w widening, cur *cursor) (Page, bool, error) {
	m, ok := newMatcher(by, query)
	if !ok {
		return Page{}, false, nil
	}
	hits, ok, err := wideMatch(ctx, q, w, &m)
	if !ok || err != nil {
		return Page{}, ok, err
	}
	return answer(ctx, q, by, query, cur, w, hits)
}

// answer ranks the hits of a query's tokens (w.tokens, matched as w says:
// every one, or widened) and returns the page after cur with the total and
// facets asked for.
func answer(ctx context.Context, q sqldb.Querier, by Actor, query Query, cur *cursor, w widening, hits []hit) (Page, bool, error) {
	key := NameKey(query.Text)
	pending, err := rank(ctx, q, key, w.tokens, w.sets != nil, hits)
	if err != nil {
		return Page{}, true, err
	}
	if query.Sort == ByRelevance {
		if err := resolve(ctx, q, key, hits, pending, query, cur); err != nil {
			return Page{}, true, err
		}
	}
	var page Page
	facets, count := query.Facets, query.Count
	if query.Sort == ByName {
		// Names are not in the postings: the SQL path orders by them.
		query.Facets, query.Count = false, false
		if page, err = sqlSearch(ctx, q, by, query, cur, w); err != nil {
			return page, true, err
		}
	} else if page, err = pageOf(ctx, q, hits, query, cur); err != nil {
		return page, true, err
	}
	if facets || count {
		page.Total = len(hits)
	}
	if facets {
		page.Facets, err = countFacets(ctx, q, hits)
	}
	return page, true, err
}

// rankClass orders a token's postings as the relevance order does for a
// query that is that one Han token: name (rank 0 or 1), name through an
// abbreviation (2), abstract (3), item names (4); rankLength then orders
// them as hit.length does. The index catalog_search_tokens_rank (migration
// 0020; before it 0017 without rankLength, 0006 also without class 1) is on
// (token, rankClass, rankLength, updated_at DESC, entry_id DESC) and covers
// what rankedSQL reads; the expressions must stay identical to the
// migration's (TestRankIndexInMigrations checks).
const (
	rankClass  = `(CASE WHEN fields & 9 = 1 THEN 0 WHEN fields & 1 <> 0 THEN 1 WHEN fields & 2 <> 0 THEN 2 ELSE 3 END)`
	rankLength = `(CASE WHEN fields & 1 <> 0 THEN name_len ELSE 0 END)`
)

const (
	rankedSQL = `SELECT entry_id, attrs, department_id, updated_at, ` + rankClass + `, ` + rankLength + ` FROM catalog_search_tokens
		WHERE token = $1 ORDER BY ` + rankClass + `, ` + rankLength + `, updated_at DESC, entry_id DESC LIMIT $2`
	// facetPostingsSQL packs attrs (26 bits) and the department into one
	// integer per posting (a department id too large for the packing reads
	// as -1), and returns them all as one text value, in decimal, separated
	// by commas (string_agg: SQLite 3.44 and PostgreSQL; NULL for no
	// postings): one row instead of one per posting, whose stepping and
	// conversion in the drivers cost more than counting (facetPostings).
	facetPostingsSQL = `SELECT string_agg(CAST(CASE WHEN department_id >= 0 AND department_id < 137438953472
		THEN attrs | (department_id << 26) ELSE -1 END AS TEXT), ',') FROM catalog_search_tokens WHERE token = $1`
	postingsSQL = `SELECT entry_id, fields, attrs, department_id, updated_at, name_len FROM catalog_search_tokens WHERE token = $1`
	fieldsSQL   = `SELECT entry_id, fields FROM catalog_search_tokens WHERE token = $1`
	chunk       = 200 // ids per lookup query, padded so that the statement text stays the same
)

// match returns the entries holding every token that pass m; ok is false
// when an entry has an attribute outside the vocabularies.
func match(ctx context.Context, q sqldb.Querier, tokens []string, m *matcher) ([]hit, bool, error) {
	counts, err := tokenCounts(ctx, q, tokens)
	if err != nil {
		return nil, true, err
	}
	order := make([]int, len(tokens)) // token indexes, rarest first
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return counts[order[i]] < counts[order[j]] })
	// Tokens far more frequent than the rarest are checked per posting of
	// the rarest, by primary key, in the statement that reads it: fields is
	// then the AND of every such token's fields, -1 when one is missing.
	// The others are intersected below.
	var seek, rest []int
	for _, ti := range order[1:] {
		if counts[ti] > 4*counts[order[0]] {
			seek = append(seek, ti)
		} else {
			rest = append(rest, ti)
		}
	}
	stmt, args := postingsSQL, []any{tokens[order[0]]}
	if len(seek) > 0 {
		var sb strings.Builder
		sb.WriteString(`SELECT p.entry_id, COALESCE(p.fields`)
		for _, ti := range seek {
			args = append(args, tokens[ti])
			fmt.Fprintf(&sb, ` & (SELECT s.fields FROM catalog_search_tokens s WHERE s.token = $%d AND s.entry_id = p.entry_id)`, len(args))
		}
		sb.WriteString(`, -1), p.attrs, p.department_id, p.updated_at, p.name_len FROM catalog_search_tokens p WHERE p.token = $1`)
		stmt = sb.String()
	}
	// The hot loop: one posting per row, scanned into reused variables,
	// kept by value (no allocation per hit).
	var (
		id, attrs, dept int64
		fields, nameLen int
		updated         any
	)
	ps, err := readPostings(ctx, q, stmt, args, &id, &fields, &attrs, &dept, &updated, &nameLen)
	if err != nil {
		return nil, true, err
	}
	hits := make([]hit, 0, min(counts[order[0]], 1<<16)+16)
	for ps.next() {
		if fields < 0 {
			continue
		}
		if h, ok := ps.admit(m, id, attrs, dept, updated); ok {
			h.nameLen, h.name, h.abstract, h.abbreviated = nameLen, fields&inName != 0, fields&inAbstract != 0, fields&nameAbbreviated != 0
			hits = append(hits, h)
		}
	}
	if ok, err := ps.close(); !ok || err != nil {
		return nil, ok, err
	}
	// The other tokens have at most 4× the rarest's postings: read each
	// whole and keep the candidates it holds.
	for _, ti := range rest {
		if len(hits) == 0 {
			break
		}
		byID := make(map[int64]int, len(hits)) // index in hits
		for i := range hits {
			byID[hits[i].id] = i
		}
		seen := make([]bool, len(hits))
		rows, err := q.QueryContext(ctx, fieldsSQL, tokens[ti])
		if err != nil {
			return nil, true, fmt.Errorf("search postings: %w", err)
		}
		for rows.Next() {
			if err := rows.Scan(&id, &fields); err != nil {
				rows.Close()
				return nil, true, fmt.Errorf("search postings: %w", err)
			}
			if i, ok := byID[id]; ok && !seen[i] {
				seen[i] = true
				h := &hits[i]
				h.name = h.name && fields&inName != 0
				h.abstract = h.abstract && fields&inAbstract != 0
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, true, fmt.Errorf("search postings: %w", err)
		}
		kept := hits[:0]
		for i := range hits {
			if seen[i] {
				kept = append(kept, hits[i])
			}
		}
		hits = kept
	}
	return hits, true, nil
}

// wideMatch returns the entries whose names and abstracts hold enough of
// the distinctive tokens of an alternative (w.alts over the first w.core
// of w.tokens) that pass m, each with the weight of the tokens, generic
// ones too, its name and abstract lack (hit.missing) and whether its name,
// its abstract, holds every token it holds; ok is false when an entry has
// an attribute outside the vocabularies. Such an entry holds one of the
// held-need+1 rarest distinctive tokens of an alternative (by all their
// postings): their name and abstract
// postings are read, and the other tokens looked up by primary key for
// each posting read, in the same statement.
func wideMatch(ctx context.Context, q sqldb.Querier, w widening, m *matcher) ([]hit, bool, error) {
	tokens, n := w.tokens, len(w.tokens)
	counts, err := tokenCounts(ctx, q, tokens[:w.core])
	if err != nil {
		return nil, true, err
	}
	order := make([]int, w.core) // distinctive token indexes, rarest first
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return counts[order[i]] < counts[order[j]] })
	// Every hit holds one of the held-need+1 rarest tokens of an
	// alternative: those are read, the others looked up.
	var read, seek []int
	var reads uint64
	for _, a := range w.alts {
		held := 0
		for _, ti := range order {
			if a.mask&(1<<ti) != 0 {
				if held++; held <= bits.OnesCount64(a.mask)-a.need+1 {
					reads |= 1 << ti
				}
			}
		}
	}
	for _, ti := range order {
		if reads&(1<<ti) != 0 {
			read = append(read, ti)
		} else {
			seek = append(seek, ti)
		}
	}
	for i := w.core; i < n; i++ {
		seek = append(seek, i)
	}
	var sb strings.Builder
	sb.WriteString(`SELECT p.entry_id, p.fields | (p.name_len << 4), CASE WHEN p.department_id >= 0 AND p.department_id < 137438953472
		THEN p.attrs | (p.department_id << 26) ELSE -1 END, p.updated_at`)
	args := []any{nil}
	for _, ti := range seek {
		args = append(args, tokens[ti])
		fmt.Fprintf(&sb, `, COALESCE((SELECT s.fields FROM catalog_search_tokens s WHERE s.token = $%d AND s.entry_id = p.entry_id), 0)`, len(args))
	}
	sb.WriteString(` FROM catalog_search_tokens p WHERE p.token = $1 AND p.fields & 3 <> 0`)
	stmt := sb.String()
	var (
		hits       = make([]hit, 0, min(counts[read[len(read)-1]], 1<<16)+16)
		byID       map[int64]int // index in hits, once a second token adds to them
		id, packed int64
		fields     int
		updated    any
	)
	others := make([]int, len(seek))
	dest := []any{&id, &fields, &packed, &updated}
	for i := range others {
		dest = append(dest, &others[i])
	}
	for _, ti := range read {
		if byID == nil && len(hits) > 0 {
			byID = make(map[int64]int, len(hits)+min(counts[ti], 1<<16))
			for i := range hits {
				byID[hits[i].id] = i
			}
		}
		args[0] = tokens[ti]
		ps, err := readPostings(ctx, q, stmt, args, dest...)
		if err != nil {
			return nil, true, err
		}
		for ps.next() {
			// An entry m leaves out is left out again each time it is
			// read.
			i, seen := byID[id]
			if !seen {
				attrs, dept, ok := ps.unpack(packed)
				if !ok {
					continue
				}
				h, ok := ps.admit(m, id, attrs, dept, updated)
				if !ok {
					continue
				}
				h.nameLen, h.name, h.abstract, h.missing = fields>>4, true, true, w.total()
				for k, f := range others {
					h.hold(f, seek[k], &w)
				}
				i = len(hits)
				if byID != nil {
					byID[id] = i
				}
				hits = append(hits, h)
			}
			hits[i].hold(fields, ti, &w)
		}
		if ok, err := ps.close(); !ok || err != nil {
			return nil, ok, err
		}
	}
	kept := hits[:0]
	for _, h := range hits {
		if w.qualifies(h.core) {
			kept = append(kept, h)
		}
	}
	return kept, true, nil
}

// postingReader reads the posting rows of a search statement, one at a
// time, into the variables it was given (reused: no allocation per row),
// and tells which entries the filters pass. Like a bufio.Scanner, it stops
// at the first error and at the first entry the filters pass with an
// attribute outside the vocabularies, which leaves the query to the
// general path; close tells which.
type postingReader struct {
	rows    *sql.Rows
	dest    []any
	err     error
	unknown bool // stopped on an attribute outside the vocabularies
}

// readPostings runs stmt, whose rows are scanned into dest.
func readPostings(ctx context.Context, q sqldb.Querier, stmt string, args []any, dest ...any) (postingReader, error) {
	rows, err := q.QueryContext(ctx, stmt, args...)
	if err != nil {
		return postingReader{}, fmt.Errorf("search postings: %w", err)
	}
	return postingReader{rows: rows, dest: dest}, nil
}

// next reads the next row into the variables; false at the end, and once
// the reader has stopped.
func (r *postingReader) next() bool {
	if r.err != nil || r.unknown || !r.rows.Next() {
		return false
	}
	if err := r.rows.Scan(r.dest...); err != nil {
		r.err = fmt.Errorf("search postings: %w", err)
		return false
	}
	return true
}

// unpack returns the attributes and department packed into one integer
// (as facetPostingsSQL packs them); ok is false, and the reader stops, on
// a department the packing cannot hold (-1).
func (r *postingReader) unpack(packed int64) (attrs, dept int64, ok bool) {
	if packed < 0 {
		r.unknown = true
		return 0, 0, false
	}
	return packed & (1<<26 - 1), packed >> 26, true
}

// pass reports whether m passes an entry with attrs in dept; the reader
// stops on one it passes with an attribute outside the vocabularies.
func (r *postingReader) pass(m *matcher, attrs, dept int64) bool {
	if !m.match(attrs, dept) {
		return false
	}
	if !known(attrs) {
		r.unknown = true
		return false
	}
	return true
}

// admit returns the hit of entry id, with attrs in dept and its posting's
// updated_at, when pass passes it; the reader stops on an updated_at it
// cannot read.
func (r *postingReader) admit(m *matcher, id, attrs, dept int64, updated any) (hit, bool) {
	if !r.pass(m, attrs, dept) {
		return hit{}, false
	}
	t, err := stamp(updated)
	if err != nil {
		r.err = err
		return hit{}, false
	}
	return hit{id: id, dept: dept, attrs: attrs, updated: t}, true
}

// close closes the rows; ok is false when the reader stopped on an
// attribute outside the vocabularies.
func (r *postingReader) close() (ok bool, err error) {
	r.rows.Close()
	if r.err == nil && !r.unknown {
		if err := r.rows.Err(); err != nil {
			r.err = fmt.Errorf("search postings: %w", err)
		}
	}
	return !r.unknown, r.err
}

// hold counts the query token w.tokens[token] of a wideMatch hit whose
// posting has fields, when its name or abstract holds it: its weight off
// the missing, and its bit among the distinctive ones held.
func (h *hit) hold(fields, token int, w *widening) {
	if fields&(inName|inAbstract) == 0 {
		return
	}
	h.missing -= w.weights[token]
	if token < w.core {
		h.core |= 1 << token
	}
	h.name = h.name && fields&inName != 0
	h.abstract = h.abstract && fields&inAbstract != 0
}

// tokenCounts counts the postings of each token, as far as needed to find
// the rarest: all of them up to 1,000 in one statement, and while none is
// under the bound, again with the bound 8 times higher. A count at the
// bound stands for "at least the bound" and sorts after every exact count.
func tokenCounts(ctx context.Context, q sqldb.Querier, tokens []string) ([]int, error) {
	counts := make([]int, len(tokens))
	if len(tokens) == 1 {
		return counts, nil
	}
	var sb strings.Builder
	args := make([]any, len(tokens)+1)
	dest := make([]any, len(tokens))
	sb.WriteString("SELECT ")
	for i, t := range tokens {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "(SELECT COUNT(*) FROM (SELECT 1 FROM catalog_search_tokens WHERE token = $%d LIMIT $%d) x%d)", i+1, len(tokens)+1, i)
		args[i], dest[i] = t, &counts[i]
	}
	stmt := sb.String()
	for bound := 1000; ; bound *= 8 {
		args[len(tokens)] = bound
		if err := q.QueryRowContext(ctx, stmt, args...).Scan(dest...); err != nil {
			return nil, fmt.Errorf("search token count: %w", err)
		}
		if slices.Min(counts) < bound {
			for i, c := range counts {
				if c >= bound {
					counts[i] = 1 << 40
				}
			}
			return counts, nil
		}
	}
}

// heldTokens returns the tokens of core (a widened query's distinctive
// bigrams) and generic (its others, wideTokens) some published or retired
// entry holds in its name or abstract, the only ones wideSearch counts: a
// query's bigrams that no entry holds (民户 and 口簿 of 居民户口簿) would
// otherwise keep every entry from holding half of them. Drafts do not
// count, so that what one finds does not depend on another department's
// drafts. It also returns their weights, a generic token's 1, a
// distinctive one's by how many such names and abstracts hold it (counted
// up to heldCount; rarity), by which wideSearch ranks. Names and abstracts are rankClass 0–2: the index
// catalog_search_tokens_rank holds them first, where a token most entries
// hold among their items (户口) would otherwise be read through its item
// postings.
func heldTokens(ctx context.Context, q sqldb.Querier, core, generic []string) (w widening, err error) {
	tokens := append(append([]string(nil), core...), generic...)
	var sb strings.Builder
	args := make([]any, len(tokens)+1)
	counts := make([]int, len(tokens))
	dest := make([]any, len(tokens))
	sb.WriteString("SELECT ")
	for i, t := range tokens {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, `(SELECT COUNT(*) FROM (SELECT 1 FROM catalog_search_tokens t JOIN catalog_entries e ON e.id = t.entry_id
			WHERE t.token = $%d AND `+rankClass+` < 3 AND e.status IN ('published', 'retired') LIMIT $%d) x%d)`, i+1, len(tokens)+1, i)
		args[i], dest[i] = t, &counts[i]
	}
	args[len(tokens)] = heldCount
	if len(tokens) > 0 {
		if err := q.QueryRowContext(ctx, sb.String(), args...).Scan(dest...); err != nil {
			return w, fmt.Errorf("search held tokens: %w", err)
		}
	}
	w.weights = []int{}
	for i, t := range tokens {
		if counts[i] == 0 {
			continue
		}
		w.tokens = append(w.tokens, t)
		if i < len(core) {
			w.core++
			w.weights = append(w.weights, rarity(counts[i]))
		} else {
			w.weights = append(w.weights, 1)
		}
	}
	return w, nil
}

// rarity is the weight of a distinctive token held by n names and
// abstracts (1 ≤ n ≤ heldCount) in wideSearch's rank: 1 + 2·log2(heldCount
// / n), rounded, so 21 for a token one entry holds, 19 for two, 12 for 25,
// 1 for heldCount; a generic token weighs 1. An entry holding the query's
// rare word (娱乐 of 娱乐经营许可证) so comes before entries holding its
// common words (经营, 许可, 可证).
func rarity(n int) int {
	return 1 + int(math.Round(2*math.Log2(float64(heldCount)/float64(n))))
}

// total is the weight of all the tokens of a widened query.
func (w widening) total() int {
	t := 0
	for _, x := range w.weights {
		t += x
	}
	return t
}

// heldCount is how far heldTokens counts a token's names and abstracts:
// a token more of them hold is as common as any other such.
const heldCount = 1000

// firstPage serves the first relevance-ordered page of a query that is one
// Han token (a one- or two-character query): the page from the token's
// postings in relevance order (index catalog_search_tokens_rank), read only
// as far as the page needs, and the facets and total, or the total alone,
// when asked, from one scan of the postings reading only attrs and
// department_id. ok is false
// when it leaves the query to the general path (a query that is not one Han
// token equal to its folded text, many postings filtered out, attributes
// outside the vocabularies).
func firstPage(ctx context.Context, q sqldb.Querier, query Query, token string, m *matcher) (Page, bool, error) {
	key := NameKey(query.Text)
	if r, _ := utf8.DecodeRuneInString(token); !isCJK(r) || token != key {
		return Page{}, false, nil
	}
	// Exact names (rank 0) first: their postings are read by id.
	var exact []int64
	rows, err := q.QueryContext(ctx, `SELECT id FROM catalog_entries WHERE name_key = $1`, key)
	if err != nil {
		return Page{}, true, fmt.Errorf("search exact names: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return Page{}, true, fmt.Errorf("search exact names: %w", err)
		}
		exact = append(exact, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Page{}, true, fmt.Errorf("search exact names: %w", err)
	}
	if len(exact) > chunk {
		return Page{}, false, nil
	}
	want := query.Limit + 1
	top := make([]hit, 0, want+len(exact))
	var (
		id, attrs, dept int64
		class, length   int
		updated         any
	)
	dest := []any{&id, &attrs, &dept, &updated, &class, &length}
	nExact := 0
	scan := func(rows *sql.Rows, isExact bool) (int, error) {
		n := 0
		for rows.Next() {
			n++
			if err := rows.Scan(dest...); err != nil {
				return n, err
			}
			if !isExact && slices.Contains(exact, id) || !m.match(attrs, dept) {
				continue
			}
			t, err := stamp(updated)
			if err != nil {
				return n, err
			}
			h := hit{id: id, dept: dept, attrs: attrs, updated: t, rank: [...]int{1, 2, 3, 4}[class], nameLen: length}
			if isExact {
				h.rank = 0
			}
			top = append(top, h)
			if !isExact && len(top)-nExact >= want {
				break
			}
		}
		return n, rows.Err()
	}
	if len(exact) > 0 {
		args := []any{token}
		in := sqldb.In(q, &args, exact, chunk)
		rows, err := q.QueryContext(ctx, `SELECT entry_id, attrs, department_id, updated_at, `+rankClass+`, `+rankLength+`
			FROM catalog_search_tokens WHERE token = $1 AND entry_id IN `+in, args...)
		if err != nil {
			return Page{}, true, fmt.Errorf("search postings: %w", err)
		}
		_, err = scan(rows, true)
		rows.Close()
		if err != nil {
			return Page{}, true, fmt.Errorf("search postings: %w", err)
		}
		nExact = len(top)
	}
	// Read the ranked postings in growing batches until the page is full
	// or the postings end; give up to the general path when the filters
	// leave few of them.
	for limit := 4 * (want + len(exact)); ; limit *= 8 {
		if limit > 4096 {
			return Page{}, false, nil
		}
		top = top[:nExact]
		rows, err := q.QueryContext(ctx, rankedSQL, token, limit)
		if err != nil {
			return Page{}, true, fmt.Errorf("search postings: %w", err)
		}
		n, err := scan(rows, false)
		rows.Close()
		if err != nil {
			return Page{}, true, fmt.Errorf("search postings: %w", err)
		}
		if len(top)-nExact >= want || n < limit {
			break
		}
	}
	page, err := pageOf(ctx, q, top, query, nil)
	if err != nil || !query.Facets && !query.Count {
		return page, true, err
	}
	var c *facetCounter
	if query.Facets {
		c = &facetCounter{depts: map[int64]int{}}
	}
	total, ok, err := facetPostings(ctx, q, token, m, c)
	if !ok {
		return Page{}, false, nil
	}
	if err != nil {
		return page, true, err
	}
	page.Total = total
	if query.Facets {
		page.Facets, err = c.facets(ctx, q)
	}
	return page, true, err
}

// facetPostings reads the packed attributes and department of every
// posting of token (facetPostingsSQL), counts in c (unless nil) each that
// m passes and returns how many it passed; ok is false when it stops on a
// department the packing cannot hold or on an entry m passes with an
// attribute outside the vocabularies, as postingReader does.
func facetPostings(ctx context.Context, q sqldb.Querier, token string, m *matcher, c *facetCounter) (n int, ok bool, err error) {
	var all sql.NullString
	if err := q.QueryRowContext(ctx, facetPostingsSQL, token).Scan(&all); err != nil {
		return 0, true, fmt.Errorf("search postings: %w", err)
	}
	for s := all.String; s != ""; {
		field, rest, _ := strings.Cut(s, ",")
		s = rest
		packed, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			return 0, true, fmt.Errorf("search postings: %w", err)
		}
		if packed < 0 {
			return 0, false, nil
		}
		attrs, dept := packed&(1<<26-1), packed>>26
		if !m.match(attrs, dept) {
			continue
		}
		if !known(attrs) {
			return 0, false, nil
		}
		if c != nil {
			c.add(attrs, dept)
		}
		n++
	}
	return n, true, nil
}

// stamp converts a posting's updated_at to Unix nanoseconds: PostgreSQL's
// driver gives a time, SQLite the text the driver stored
// (sqldb.SQLiteTime), parsed here without time.Parse.
func stamp(v any) (int64, error) {
	switch t := v.(type) {
	case time.Time:
		return t.UnixNano(), nil
	case string:
		if n, ok := parseStamp(t); ok {
			return n, nil
		}
		for _, layout := range []string{sqldb.SQLiteTime, time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
			if tt, err := time.Parse(layout, t); err == nil {
				return tt.UnixNano(), nil
			}
		}
		return 0, fmt.Errorf("search postings: bad updated_at %q", t)
	case []byte:
		return stamp(string(t))
	}
	return 0, fmt.Errorf("search postings: updated_at of type %T", v)
}

func parseStamp(s string) (int64, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	ok := true
	num := func(a, b int) int {
		n := 0
		for _, c := range []byte(s[a:b]) {
			if c < '0' || c > '9' {
				ok = false
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, mo, d, h, mi, sec := num(0, 4), num(5, 7), num(8, 10), num(11, 13), num(14, 16), num(17, 19)
	i, nanos := 19, 0
	if i < len(s) && s[i] == '.' {
		i++
		scale := 100000000
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			nanos += int(s[i]-'0') * scale
			scale /= 10
		}
		if scale == 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' {
			return 0, false // more than nine digits
		}
	}
	offset := 0
	switch rest := s[i:]; {
	case rest == "" || rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		offset = (num(i+1, i+3)*60 + num(i+4, i+6)) * 60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return 0, false
	}
	if !ok {
		return 0, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, nanos, time.UTC)
	return t.UnixNano() - int64(offset)*int64(time.Second), true
}

// rank sets the relevance of each hit, as rankExpr does in SQL: 0 exact
// name, 1 name contains the query, 2 name holds all its tokens, 3 the
// abstract does, 4 otherwise; a hit of wideMatch lacking tokens 5 ranks
// lower for each unit of their weight (sqlSearch). What the postings
// cannot tell — whether the name contains the query — is left to resolve: rank returns those hits
// ("pending"), ranked as if their names did not contain it.
//
// With synonyms (the hits of synonymSets), a name holding every token of a
// set may hold a variant and not the query: whether it contains the query
// is left to resolve as for several tokens.
func rank(ctx context.Context, q sqldb.Querier, key string, tokens []string, synonyms bool, hits []hit) (pending []int, err error) {
	exact := map[int64]bool{}
	rows, err := q.QueryContext(ctx, `SELECT id FROM catalog_entries WHERE name_key = $1`, key)
	if err != nil {
		return nil, fmt.Errorf("search exact names: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("search exact names: %w", err)
		}
		exact[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A name containing the query holds all its Han tokens; when the query
	// is one Han token, holding it as written (not only through an
	// abbreviation) is containing the query. A name may
	// contain a query with ASCII words without holding them as words.
	han := true
	for _, t := range tokens {
		r, _ := utf8.DecodeRuneInString(t)
		han = han && isCJK(r)
	}
	single := han && len(tokens) == 1 && tokens[0] == key && !synonyms
	for i := range hits {
		h := &hits[i]
		switch {
		case h.missing > 0:
			// A hit of wideMatch lacking tokens: its name does not contain
			// the query (wideSearch's ranks).
			h.rank = 5*h.missing + 4
			if h.name {
				h.rank -= 2
			} else if h.abstract {
				h.rank--
			}
			continue
		case exact[h.id]:
			h.rank = 0
		case h.name && single && !h.abbreviated:
			h.rank = 1
		case h.name:
			h.rank = 2
		case h.abstract:
			h.rank = 3
		default:
			h.rank = 4
		}
		if h.rank == 2 && !single || h.rank > 2 && !han {
			pending = append(pending, i)
		}
	}
	return pending, nil
}

// resolve reads the names of pending hits (see rank) and ranks 1 those
// containing key. For the first page in relevance order, or a page after a
// hit of rank 0 or 1, it reads them in the order of rank 1 (shorter names
// first, then newer), only until Limit+1 hits of rank 0 or 1 follow the
// cursor: any pending hit not read then comes after those in that order,
// so it comes after them whatever its rank. Otherwise it reads them all.
func resolve(ctx context.Context, q sqldb.Querier, key string, hits []hit, pending []int, query Query, cur *cursor) error {
	after := cur.hit()
	lazy := after == nil || after.rank <= 1
	follows := func(h *hit) bool { return after == nil || before(ByRelevance, after, h) }
	found := 0
	if lazy {
		slices.SortFunc(pending, func(a, b int) int {
			ha, hb := hits[a], hits[b]
			ha.rank, hb.rank = 1, 1
			if before(ByRelevance, &ha, &hb) {
				return -1
			}
			return 1
		})
		for i := range hits {
			if hits[i].rank == 0 && follows(&hits[i]) {
				found++
			}
		}
	}
	size := chunk
	if lazy {
		size = 32
	}
	for len(pending) > 0 && !(lazy && found > query.Limit) {
		n := min(len(pending), size)
		ids := make([]int64, n)
		for i, hi := range pending[:n] {
			ids[i] = hits[hi].id
		}
		var args []any
		in := sqldb.In(q, &args, ids, size)
		rows, err := q.QueryContext(ctx, `SELECT id, name_key FROM catalog_entries WHERE id IN `+in, args...)
		if err != nil {
			return fmt.Errorf("search names: %w", err)
		}
		contains := make(map[int64]bool, n)
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return fmt.Errorf("search names: %w", err)
			}
			contains[id] = strings.Contains(name, key)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("search names: %w", err)
		}
		for _, hi := range pending[:n] {
			if h := &hits[hi]; contains[h.id] {
				h.rank = 1
				if follows(h) {
					found++
				}
			}
		}
		pending = pending[n:]
	}
	return nil
}

// before reports whether a comes before b in the order of sort s.
func before(s Sort, a, b *hit) bool {
	if s == ByRelevance && a.rank != b.rank {
		return a.rank < b.rank
	}
	if la, lb := a.length(), b.length(); s == ByRelevance && la != lb {
		return la < lb
	}
	if a.updated != b.updated {
		return a.updated > b.updated
	}
	return a.id > b.id
}

// pageOf returns the page of hits after cur in the order of query.Sort
// (relevance or updated), reading only its entries.
func pageOf(ctx context.Context, q sqldb.Querier, hits []hit, query Query, cur *cursor) (Page, error) {
	after := cur.hit()
	// The first Limit+1 hits after the cursor, kept sorted.
	top := make([]*hit, 0, query.Limit+1)
	for i := range hits {
		h := &hits[i]
		if after != nil && !before(query.Sort, after, h) {
			continue
		}
		if len(top) == cap(top) && !before(query.Sort, h, top[len(top)-1]) {
			continue
		}
		i := sort.Search(len(top), func(i int) bool { return before(query.Sort, h, top[i]) })
		if len(top) < cap(top) {
			top = append(top, nil)
		}
		copy(top[i+1:], top[i:len(top)-1])
		top[i] = h
	}
	page := Page{Items: []Summary{}}
	if len(top) == 0 {
		return page, nil
	}
	marks := make([]string, len(top))
	args := make([]any, len(top))
	for i, h := range top {
		marks[i], args[i] = "$"+strconv.Itoa(i+1), h.id
	}
	rows, err := q.QueryContext(ctx, `SELECT `+summaryColumns+`, (SELECT d.name FROM departments d WHERE d.id = e.department_id)
		FROM catalog_entries e WHERE e.id IN (`+strings.Join(marks, ",")+`)`, args...)
	if err != nil {
		return page, fmt.Errorf("search catalog: %w", err)
	}
	defer rows.Close()
	byID := map[int64]Summary{}
	for rows.Next() {
		var s Summary
		var methods int
		var reviewed *time.Time
		if err := rows.Scan(&s.ID, &s.Code, &s.Name, &s.Abstract, &s.DepartmentID, &s.Status, &s.Domain, &s.ShareType,
			&methods, &s.UpdateFrequency, &s.SecurityLevel, &s.OpenAttribute, &s.SubjectKind, &s.UpdatedAt, &reviewed,
			&s.RevisionStatus, &s.DepartmentName); err != nil {
			return page, fmt.Errorf("search catalog: %w", err)
		}
		fillSummary(&s, methods, reviewed, query.Now)
		byID[s.ID] = s
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("search catalog: %w", err)
	}
	for i, h := range top {
		if i == query.Limit {
			last := top[i-1]
			page.NextCursor = cursor{Sort: query.Sort, Rank: last.rank, Length: last.length(), Updated: time.Unix(0, last.updated).UTC(),
				ID: last.id, Wide: query.wide, List: query.list}.encode()
			break
		}
		s, ok := byID[h.id]
		if !ok {
			return page, fmt.Errorf("search catalog: entry %d of the index is missing", h.id)
		}
		page.Items = append(page.Items, s)
	}
	return page, nil
}

// facetCounter counts hits per facet value.
type facetCounter struct {
	depts  map[int64]int
	attrs  [len(attrFacets)][64]int
	levels [8]int
	method [4]int
}

// attrFacets are the facets packed in attrs, with their names.
var attrFacets = [...]struct {
	name       string
	off, width uint
	vocab      vocab
}{
	{"domain", attrDomain, 6, domains}, {"share_type", attrShareType, 2, shareTypes},
	{"update_frequency", attrFrequency, 4, frequencies}, {"open_attribute", attrOpen, 2, openAttributes},
	{"subject_kind", attrSubject, 2, subjectKinds},
}

func countFacets(ctx context.Context, q sqldb.Querier, hits []hit) (map[string][]FacetCount, error) {
	c := facetCounter{depts: map[int64]int{}}
	for i := range hits {
		c.add(hits[i].attrs, hits[i].dept)
	}
	return c.facets(ctx, q)
}

// add counts one hit.
func (c *facetCounter) add(attrs, dept int64) {
	c.depts[dept]++
	for i, f := range attrFacets {
		c.attrs[i][attr(attrs, f.off, f.width)]++
	}
	c.levels[attr(attrs, attrSecurity, 3)]++
	ms := attr(attrs, attrMethods, 4)
	for i := range c.method {
		if ms&(1<<i) != 0 {
			c.method[i]++
		}
	}
}

// facets returns the counted facets, labelled and sorted.
func (c *facetCounter) facets(ctx context.Context, q sqldb.Querier) (map[string][]FacetCount, error) {
	out := emptyFacets()
	for i, f := range attrFacets {
		for j, n := range c.attrs[i][:len(f.vocab)] {
			out[f.name] = appendCount(out[f.name], f.name, f.vocab[j].Code, n)
		}
	}
	for l, n := range c.levels {
		out["security_level"] = appendCount(out["security_level"], "security_level", strconv.Itoa(l), n)
	}
	for i, n := range c.method {
		out["share_methods"] = appendCount(out["share_methods"], "share_methods", shareMethods[i].Code, n)
	}
	return out, departmentFacet(ctx, q, c.depts, out)
}

func emptyFacets() map[string][]FacetCount {
	out := make(map[string][]FacetCount, len(facetNames))
	for _, name := range facetNames {
		out[name] = []FacetCount{}
	}
	return out
}

func appendCount(fs []FacetCount, name, value string, n int) []FacetCount {
	if n == 0 {
		return fs
	}
	return append(fs, FacetCount{Value: value, Label: facetLabel(name, value), Count: n})
}

// departmentFacet adds the department counts, labelled with their names,
// and sorts every facet by count, most first.
func departmentFacet(ctx context.Context, q sqldb.Querier, depts map[int64]int, out map[string][]FacetCount) error {
	ids := make([]int64, 0, len(depts))
	for id := range depts {
		ids = append(ids, id)
	}
	for len(ids) > 0 {
		n := min(chunk, len(ids))
		var args []any
		in := sqldb.In(q, &args, ids[:n], chunk)
		rows, err := q.QueryContext(ctx, `SELECT id, name FROM departments WHERE id IN `+in, args...)
		if err != nil {
			return fmt.Errorf("catalog facets: %w", err)
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return fmt.Errorf("catalog facets: %w", err)
			}
			out["department_id"] = append(out["department_id"], FacetCount{Value: strconv.FormatInt(id, 10), Label: name, Count: depts[id]})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		ids = ids[n:]
	}
	for _, fs := range out {
		sort.SliceStable(fs, func(i, j int) bool {
			if fs[i].Count != fs[j].Count {
				return fs[i].Count > fs[j].Count
			}
			return fs[i].Value < fs[j].Value
		})
	}
	return nil
}

// browse serves a query without text whose only filters are statuses the
// reader may see in full, shared-only and share type: the page from the
// (status, updated_at) and (status, name) indexes, the facets and total
// from catalog_facet_counts.
func browse(ctx context.Context, q sqldb.Querier, by Actor, query Query, cur *cursor) (Page, bool, error) {
	if query.DepartmentID != 0 || query.Domain != "" || query.ShareMethod != "" || query.UpdateFrequency != "" ||
		query.SecurityLevel != 0 || query.OpenAttribute != "" || query.SubjectKind != "" {
		return Page{}, false, nil
	}
	sts := query.Statuses
	if len(sts) == 0 {
		sts = []Status{Published}
	}
	want := map[string]bool{}
	for _, s := range sts {
		if !by.Reviews() && s != Published && s != Retired {
			return Page{}, false, nil // also the reader's own department's: left to SQL
		}
		want[string(s)] = true
	}
	facets, count := query.Facets, query.Count
	query.Facets, query.Count = false, false
	page, err := slowSearch(ctx, q, by, query, cur)
	if err != nil || !facets && !count {
		return page, true, err
	}
	if err := facetsRead(ctx, q); err != nil {
		return page, true, err
	}
	rows, err := q.QueryContext(ctx, `SELECT status, share_type, facet, value, n FROM catalog_facet_counts WHERE n <> 0`)
	if err != nil {
		return page, true, fmt.Errorf("catalog facets: %w", err)
	}
	defer rows.Close()
	counts := map[[2]string]int{}
	depts := map[int64]int{}
	for rows.Next() {
		var st, shareType, facet, value string
		var n int
		if err := rows.Scan(&st, &shareType, &facet, &value, &n); err != nil {
			return page, true, fmt.Errorf("catalog facets: %w", err)
		}
		if !want[st] || query.SharedOnly && shareType == string(NotShared) ||
			query.ShareType != "" && shareType != string(query.ShareType) {
			continue
		}
		if facet == "department_id" {
			id, err := strconv.ParseInt(value, 10, 64)
			if err != nil {
				return page, true, fmt.Errorf("catalog facets: department %q", value)
			}
			depts[id] += n
			page.Total += n
			continue
		}
		counts[[2]string{facet, value}] += n
	}
	if err := rows.Err(); err != nil {
		return page, true, fmt.Errorf("catalog facets: %w", err)
	}
	if !facets {
		return page, true, nil
	}
	page.Facets = emptyFacets()
	for k, n := range counts {
		page.Facets[k[0]] = appendCount(page.Facets[k[0]], k[0], k[1], n)
	}
	return page, true, departmentFacet(ctx, q, depts, page.Facets)
}
