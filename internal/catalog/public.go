package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// PublicEntry is a published entry as citizens and companies see it in the
// public mutual-recognition catalog (共享互认目录), without logging in.
//
// It leaves out what only government users need or should see: the
// security level and the network zone (they describe how the data is
// protected), share conditions, share scope and the legal basis of refusals
// (internal terms between departments), timeliness requirements, related
// codes, internal ids, versions, review state and one-source decisions.
// Only entries that are shared (share type not 不予共享) are listed.
type PublicEntry struct {
	Code            string         `json:"code"`
	Name            string         `json:"name"`
	Abstract        string         `json:"abstract"`
	Provider        string         `json:"provider"`
	Classification  Classification `json:"classification"`
	Format          string         `json:"format"`
	Domain          string         `json:"domain"`
	SubjectKind     string         `json:"subject_kind"`
	Items           []PublicItem   `json:"items"`
	ShareType       string         `json:"share_type"`
	ShareMethods    []string       `json:"share_methods"`
	OpenAttribute   string         `json:"open_attribute"`
	OpenConditions  string         `json:"open_conditions,omitempty"`
	UpdateFrequency string         `json:"update_frequency"`
	ServiceItems    []ServiceItem  `json:"service_items,omitempty"`
	PublishedAt     *time.Time     `json:"published_at,omitempty"`
	// ProviderID is the provider's department id, for a page to name it
	// (the API names the provider by Provider only).
	ProviderID int64 `json:"-"`
}

// PublicItem is a data item in the public catalog.
type PublicItem struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description,omitempty"`
}

// PublicPage is a page of the public catalog. Its facets leave out the
// security level.
type PublicPage struct {
	Items      []PublicEntry           `json:"items"`
	NextCursor string                  `json:"next_cursor,omitempty"`
	Total      int                     `json:"total"`
	Facets     map[string][]FacetCount `json:"facets,omitempty"`
	Widened    bool                    `json:"widened"` // partial matches (Page.Widened)
	// Departments are the departments the text names (Page.Departments),
	// counting their shared published entries.
	Departments *DepartmentHints `json:"department_hints,omitempty"`
}

// Public returns a page of the public catalog: Search over published,
// shared entries as an anonymous reader. Labels are in Chinese.
func Public(ctx context.Context, q sqldb.Querier, query Query) (PublicPage, error) {
	query.Statuses, query.SharedOnly, query.SecurityLevel, query.ReviewDue = nil, true, 0, false
	page, err := Search(ctx, q, Actor{}, query)
	if err != nil {
		return PublicPage{}, err
	}
	delete(page.Facets, "security_level")
	out := PublicPage{Items: []PublicEntry{}, NextCursor: page.NextCursor, Total: page.Total, Facets: page.Facets, Widened: page.Widened,
		Departments: page.Departments}
	if len(page.Items) == 0 {
		return out, nil
	}
	ids := make([]string, len(page.Items))
	for i, s := range page.Items {
		ids[i] = strconv.FormatInt(s.ID, 10)
	}
	rows, err := q.QueryContext(ctx, `SELECT e.id, e.code, d.id, d.name, e.data, e.published_at FROM catalog_entries e
		JOIN departments d ON d.id = e.department_id WHERE e.id IN (`+strings.Join(ids, ",")+`)`)
	if err != nil {
		return out, fmt.Errorf("public catalog: %w", err)
	}
	defer rows.Close()
	byID := map[int64]PublicEntry{}
	for rows.Next() {
		id, p, err := scanPublic(rows)
		if err != nil {
			return out, fmt.Errorf("public catalog: %w", err)
		}
		byID[id] = p
	}
	for _, s := range page.Items {
		out.Items = append(out.Items, byID[s.ID])
	}
	return out, rows.Err()
}

// PublicByCode returns one entry of the public catalog, of code as
// text.FoldCode folds it (the search finds １０１００１／００００００１ too).
func PublicByCode(ctx context.Context, q sqldb.Querier, code string) (PublicEntry, error) {
	code = text.FoldCode(code)
	_, p, err := scanPublic(q.QueryRowContext(ctx, `SELECT e.id, e.code, d.id, d.name, e.data, e.published_at
		FROM catalog_entries e JOIN departments d ON d.id = e.department_id
		WHERE e.code = $1 AND e.status = 'published' AND e.share_type <> 'none'`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return p, errs.E(errs.NotFound, "entry_not_found", "共享互认目录中没有该数据资源："+code)
	}
	return p, err
}

func scanPublic(sc interface{ Scan(...any) error }) (int64, PublicEntry, error) {
	var id int64
	var p PublicEntry
	var data string
	var published sql.NullTime
	if err := sc.Scan(&id, &p.Code, &p.ProviderID, &p.Provider, &data, &published); err != nil {
		return id, p, err
	}
	var r Resource
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return id, p, err
	}
	p.Name, p.Abstract, p.Classification = r.Name, r.Abstract, r.Classification
	p.Format, p.Domain, p.SubjectKind = r.Format.Label(), r.DomainLabel(), r.SubjectKind.Label()
	p.ShareType, p.OpenAttribute, p.OpenConditions = r.ShareType.Label(), r.OpenAttribute.Label(), r.OpenConditions
	p.UpdateFrequency = r.UpdateFrequency.Label()
	if r.UpdateFrequency == FrequencyOther {
		p.UpdateFrequency = r.FrequencyOther
	}
	p.ServiceItems, p.PublishedAt = r.ServiceItems, utcPtr(published)
	p.ShareMethods = []string{}
	for _, m := range r.ShareMethods {
		p.ShareMethods = append(p.ShareMethods, m.Label())
	}
	p.Items = make([]PublicItem, len(r.Items))
	for i, it := range r.Items {
		p.Items[i] = PublicItem{Name: it.Name, Type: it.Type.Label(), Description: it.Description}
	}
	return id, p, nil
}

// Named is a published entry found by its name.
type Named struct {
	ID             int64
	Code           string
	DepartmentName string
}

// publishedNamedQuery selects the first $2 published entries named $1 (a
// name_key) by code; publishedNamedInDepartmentQuery those of department
// $3, the department compared on the rows found (+e.department_id keeps
// the planner from an index of it: without statistics SQLite searched
// catalog_entries_department, reading every published entry of the
// department for each lookup).
const (
	publishedNamedSelect = `SELECT e.id, e.code, d.name FROM catalog_entries e JOIN departments d ON d.id = e.department_id
		WHERE e.name_key = $1 AND e.status = 'published'`
	publishedNamedQuery             = publishedNamedSelect + ` ORDER BY e.code LIMIT $2`
	publishedNamedInDepartmentQuery = publishedNamedSelect + ` AND +e.department_id = $3 ORDER BY e.code LIMIT $2`
)

// PublishedNamed returns up to limit published entries named name (width
// folded, as search compares names), of department departmentID unless it
// is 0, in code order: a form that takes an entry by its name finds it
// whatever else its search would rank first, and sees when two share it.
func PublishedNamed(ctx context.Context, q sqldb.Querier, name string, departmentID int64, limit int) ([]Named, error) {
	query, args := publishedNamedQuery, []any{NameKey(name), limit}
	if departmentID != 0 {
		query, args = publishedNamedInDepartmentQuery, append(args, departmentID)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("entries named %s: %w", name, err)
	}
	defer rows.Close()
	var out []Named
	for rows.Next() {
		var n Named
		if err := rows.Scan(&n.ID, &n.Code, &n.DepartmentName); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
