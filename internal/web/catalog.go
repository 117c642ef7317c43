package web

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Who may open the catalog pages: everyone who works with the catalog may
// search and read it, and so may the auditor, who oversees the platform
// and reads the catalog through the API (catalog.read) as every role
// does; those with the scope catalog.write compile (the
// catalog package further limits that to their own department); the
// platform operator and the reviewers of its department review (a
// reviewer of another department is refused by the catalog, with that
// rule: auth.Principal.ReviewsCatalog).
var (
	rolesCatalog       = []org.Role{org.Operator, org.DeptAdmin, org.Reviewer, org.Auditor}
	rolesCatalogWrite  = []org.Role{org.Operator, org.DeptAdmin}
	rolesCatalogReview = []org.Role{org.Operator, org.Reviewer}
)

// catalogActor is the caller as the catalog sees it. It is the same
// conversion as internal/api's catalogActor; neither auth nor catalog
// exposes one, and auth should not depend on catalog.
func catalogActor(p *auth.Principal) catalog.Actor {
	return catalog.Actor{Actor: p.Actor, Editor: p.Can("catalog.write"), Operator: p.HasRole(org.Operator),
		Reviewer: p.ReviewsCatalog()}
}

// mayCompile reports whether by may edit entries of departmentID (the rule
// of catalog.Update, repeated here to decide which buttons to show).
func mayCompile(by catalog.Actor, departmentID int64) bool {
	return by.Editor && by.DepartmentID != 0 && by.DepartmentID == departmentID
}

// mayRetire reports whether by may retire entries of departmentID: the
// operator any, at once; an editor its own, as a request for the
// operator's review (the rule of catalog.Retire, repeated here to decide
// which buttons to show and when to ask for confirmation).
func mayRetire(by catalog.Actor, departmentID int64) bool {
	return by.Operator || mayCompile(by, departmentID)
}

// catalogNotices are the messages a redirect after a catalog action may show.
var catalogNotices = map[string]string{
	"created":          "数据资源已保存为草稿。确认无误后请提交审核。",
	"repeated":         "数据资源已由第一次提交保存为草稿，本次重复提交未再保存。确认无误后请提交审核。",
	"saved":            "修改已保存。",
	"unchanged":        "未作修改：所填内容与原来相同，没有保存。",
	"submitted":        "已提交审核，等待政务数据主管部门审核。",
	"approved":         "审核通过，数据资源已发布。",
	"rejected":         "已退回编制部门。",
	"retired":          "数据资源已注销。",
	"retire_requested": "已提交注销申请，等待政务数据主管部门审核；审核通过前数据资源仍为已发布，可继续共享和推送数据。",
	"retire_approved":  "注销申请审核通过，数据资源已注销。",
	"retire_rejected":  "已退回注销申请，数据资源仍为已发布。",
	"retire_withdrawn": "已撤回注销申请，数据资源仍为已发布。",
	"deleted":          "删除了草稿，其资源代码不再使用。",
	"discarded":        "已放弃修订，数据资源仍为现行版本。",
	"decided":          "已指定权威数源。",
	"decided_distinct": "已裁定为不是同一数据项。",
}

// statusViews are the tabs of the catalog list: which states each shows,
// and whether it is a tab of the catalog's work (Work): entries being
// compiled and reviewed, shown as a tab only to those who compile
// (catalog.write) or review (auth.Principal.ReviewsCatalog). The auditor
// and a department's reviewer, who do neither, would find there at most
// their department's entries in the making; the view still answers a link.
var statusViews = []struct {
	Key, Label string
	Statuses   []catalog.Status
	ReviewDue  bool
	Work       bool
	// Empty says what the tab lists, when it lists nothing and nothing
	// is searched for.
	Empty string
}{
	{"", "已发布", nil, false, false, "尚无已发布的数据资源。"},
	{"drafts", "草稿与退回", []catalog.Status{catalog.Draft, catalog.Rejected}, false, true, "没有草稿或被退回的数据资源。"},
	{"submitted", "待审核", []catalog.Status{catalog.Submitted}, false, true, "没有待审核的数据资源。"},
	{"review_due", "年度维护到期", nil, true, false, "没有年度维护到期的数据资源：已发布、上次审核已满一年的数据资源列在这里。"},
	{"retired", "已注销", []catalog.Status{catalog.Retired}, false, false, "没有已注销的数据资源：数据资源注销后列在这里。"},
}

// facetDefs are the facet filters of the list pages, in display order:
// the Search facet name, the query parameter and the Chinese heading.
var facetDefs = []struct{ Facet, Param, Label string }{
	{"department_id", "department_id", "数源部门"},
	{"domain", "domain", "所属领域"},
	{"share_type", "share_type", "共享类型"},
	{"share_methods", "share_method", "共享方式"},
	{"update_frequency", "update_frequency", "更新周期"},
	{"security_level", "security_level", "安全级别"},
	{"open_attribute", "open_attribute", "开放属性"},
	{"subject_kind", "subject_kind", "主体类型"},
}

// listParams are the query parameters the list pages keep between links.
var listParams = []string{"q", "sort", "view", "department_id", "domain", "share_type", "share_method",
	"update_frequency", "security_level", "open_attribute", "subject_kind"}

// catalogParams are every parameter /catalog takes: its list's, the
// cursor of a later page, the cursor of a later page of the 待审核
// view's retirement requests (retire_cursor; each list pages on its own)
// and the notice of a redirect (msg).
var catalogParams = append(slices.Clone(listParams), "cursor", "retire_cursor", "msg")

// checkParams refuses a query parameter of v that a page does not take
// (known), 400 unknown_parameter, as the API refuses one: a filter the
// page does not know would be ignored, the list shown unfiltered as if
// it were filtered.
func checkParams(v url.Values, known []string) error {
	if unknown := unknownParams(v, known); len(unknown) > 0 {
		name := unknown[0]
		return errs.Field(name, "unknown_parameter", "本页不支持查询参数“"+name+"”，列表未按其筛选。可用的参数为："+
			strings.Join(known, "、"))
	}
	return nil
}

// unknownParams are the parameters of v that a page does not take
// (known), in order.
func unknownParams(v url.Values, known []string) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(v)) {
		if !slices.Contains(known, name) {
			out = append(out, name)
		}
	}
	return out
}

// parseCatalogQuery reads a search from the query string of a list page,
// refusing a filter whose value it does not know (invalid_filter, on the
// filter's parameter) rather than finding nothing, as the API does.
// Parameters it does not know it leaves to its caller: the console's list
// refuses them (checkParams), the public catalog ignores them.
func parseCatalogQuery(v url.Values) (catalog.Query, error) {
	q := catalog.Query{Text: strings.TrimSpace(v.Get("q")), Domain: v.Get("domain"),
		ShareType: catalog.ShareType(v.Get("share_type")), ShareMethod: catalog.ShareMethod(v.Get("share_method")),
		UpdateFrequency: catalog.Frequency(v.Get("update_frequency")), OpenAttribute: catalog.OpenAttribute(v.Get("open_attribute")),
		SubjectKind: catalog.SubjectKind(v.Get("subject_kind")),
		Sort:        catalog.Sort(v.Get("sort")), Cursor: v.Get("cursor"), Facets: true}
	if param, c, bad := q.UnknownFilter(); bad {
		return catalog.Query{}, errs.Field(param, "invalid_filter", "筛选条件“"+facetLabel(param)+"”的取值“"+c+"”无效，请从列出的选项中选择")
	}
	for name, dst := range map[string]*int64{"department_id": &q.DepartmentID} {
		if s := v.Get(name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				return q, errs.Field(name, "invalid_filter", "筛选条件“数源部门”的取值“"+s+"”无效，请从列出的选项中选择")
			}
			*dst = n
		}
	}
	if s := v.Get("security_level"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 4 {
			return q, errs.Field("security_level", "invalid_filter", "安全级别应为1至4级")
		}
		q.SecurityLevel = n
	}
	return q, nil
}

// facetLabel is the Chinese heading of the facet filter set by param.
func facetLabel(param string) string {
	for _, fd := range facetDefs {
		if fd.Param == param {
			return fd.Label
		}
	}
	return param
}

// facetLink is one value of a facet, with the link that toggles it.
type facetLink struct {
	Label  string
	Count  int
	Href   string
	Active bool
}

type facetGroup struct {
	Label  string
	Values []facetLink
}

// activeFilter is a filter in force, with the link that removes it.
type activeFilter struct {
	Label string
	Href  string
}

type sortOption struct {
	Value, Label string
	Selected     bool
}

type viewTab struct {
	Label  string
	Href   string
	Active bool
	Count  int // shown when > 0
}

type catalogListData struct {
	Query     url.Values
	Text      string
	Sort      string
	View      string
	Sorts     []sortOption
	Views     []viewTab
	Facets    []facetGroup
	Filters   []activeFilter
	Hidden    []hiddenField // filters the search form carries along
	Items     []catalog.Summary
	Total     int
	Next      string
	First     string
	CanCreate bool
	Operator  bool
	Notice    string
	Base      string // /catalog or /public/catalog
	Error     string // why the filter was refused; then no hits
	Widened   bool   // the hits are partial matches (catalog.Page.Widened)
	Empty     string // what the view lists, said when it lists nothing unsearched (statusViews)
	// Departments the search text names (catalog.NamedDepartments:
	// 厦门市公安局, 统计局), with or without hits, else those whose names
	// hold a text that found nothing (公安, 民政局): the list points to
	// their filter. DepartmentsTotal counts the departments named, of
	// which Departments lists at most catalog.MaxDepartmentHints.
	Departments      []departmentHint
	DepartmentsTotal int
	// Found is whether the search found entries: the hints to departments
	// are then offered beside them (department-hints).
	Found bool
	// RetireRequests are the retirement requests under review that the
	// 待审核 view lists above the revisions (catalog.RetireRequests): every
	// department's to the reviewers, the reader's department's to others,
	// under the list's text and filters, oldest first, a page of
	// retirePageSize of RetireTotal: RetireNext and RetireFirst link the
	// next and the first page (retire_cursor), the list's own page kept.
	RetireRequests []catalog.RetireRequestSummary
	RetireTotal    int
	RetireNext     string
	RetireFirst    string
	Export         exportLinks
}

// exportLinks are the 导出 links of the catalog list: the export
// (exportCatalog) of the list's view, by its statuses and annual review,
// under the list's department, text, filters and order, so that the file
// holds the list's rows. Note tells a department administrator whose list
// is not filtered to its department that its import takes its
// department's entries alone (importNote).
type exportLinks struct {
	XLSX, CSV, JSONL string
	Note             string
}

// importNote says beside the 导出 links of a list that may hold other
// departments' entries that an import by the department updates its own
// alone (each other department's row is refused), and how to export a
// file to edit and import again.
const importNote = "导出的文件与列表相同。导入只能新增和更新本部门的数据资源：如需修改后再导入，请先按数源部门筛选本部门再导出。"

// catalogExportLinks are the export links of the list of v in the view of
// statuses (none: published) and reviewDue; own is the department a
// department administrator imports into, 0 for anyone else (importNote).
func catalogExportLinks(v url.Values, statuses []catalog.Status, reviewDue bool, own int64) exportLinks {
	e := url.Values{}
	var note string
	dept := v.Get("department_id")
	if own != 0 && dept != strconv.FormatInt(own, 10) {
		note = importNote
	}
	if dept != "" {
		e.Set("department_id", dept)
	}
	if len(statuses) == 0 {
		statuses = []catalog.Status{catalog.Published}
	}
	names := make([]string, len(statuses))
	for i, st := range statuses {
		names[i] = string(st)
	}
	e.Set("status", strings.Join(names, ","))
	if reviewDue {
		e.Set("review_due", "1")
	}
	for _, k := range listParams {
		if k != "view" && k != "department_id" && v.Get(k) != "" {
			e.Set(k, v.Get(k))
		}
	}
	// The list's order: its default is relevance, the export's name.
	if e.Get("sort") == "" {
		e.Set("sort", string(catalog.ByRelevance))
	}
	link := func(format string) string {
		e.Set("format", format)
		return "/catalog/export?" + e.Encode()
	}
	return exportLinks{XLSX: link("xlsx"), CSV: link("csv"), JSONL: link("jsonl"), Note: note}
}

// retirePageSize is how many retirement requests a page of the 待审核
// view's table lists.
const retirePageSize = 20

// departmentHint is a department a search offers to filter by, and the
// list filtered by it: Count entries, 0 when not counted.
type departmentHint struct {
	Name, Href string
	Count      int
}

// namedDepartmentHints returns the departments the search text names
// (catalog.Page.Departments) as hints of base with the parameters v,
// each filtered by it and without the text, and how many are named.
func namedDepartmentHints(base string, v url.Values, named *catalog.DepartmentHints) ([]departmentHint, int) {
	if named == nil {
		return nil, 0
	}
	out := make([]departmentHint, len(named.Items))
	for i, d := range named.Items {
		out[i] = departmentHint{Name: d.Name, Count: d.Count,
			Href: withParams(base, v, "q", "", "department_id", strconv.FormatInt(d.ID, 10))}
	}
	return out, named.Total
}

// departmentHints returns, for a search of text that found nothing on base
// with the parameters v, the departments publishing entries whose name or
// short name holds text (at most 5), each with base filtered by it and
// without the text: a user who types a department (公安, 民政局) into the
// search box is shown the department filter. None when v already filters
// by department.
func departmentHints(ctx context.Context, q sqldb.Querier, base string, v url.Values, text string) ([]departmentHint, error) {
	text = strings.TrimSpace(text)
	if text == "" || v.Get("department_id") != "" {
		return nil, nil
	}
	ds, _, err := catalog.PublishingDepartments(ctx, q, org.DepartmentFilter{Q: text, Limit: 5})
	if err != nil {
		return nil, err
	}
	out := make([]departmentHint, len(ds))
	names := deptNames{}
	for i, d := range ds {
		out[i] = departmentHint{Name: d.Name, Href: withParams(base, v, "q", "", "department_id", strconv.FormatInt(d.ID, 10))}
		names.add(d.ID, &out[i].Name)
	}
	return out, names.label(ctx, q)
}

type hiddenField struct{ Name, Value string }

// withParams returns base with v's list parameters, changed by set (an
// empty value removes the parameter). The cursor is always dropped.
func withParams(base string, v url.Values, set ...string) string {
	out := url.Values{}
	for _, k := range listParams {
		if s := v.Get(k); s != "" {
			out.Set(k, s)
		}
	}
	for i := 0; i+1 < len(set); i += 2 {
		if set[i+1] == "" {
			out.Del(set[i])
		} else {
			out.Set(set[i], set[i+1])
		}
	}
	if len(out) == 0 {
		return base
	}
	return base + "?" + out.Encode()
}

// withPage returns base with every parameter of v but the notice (msg),
// the cursor param set to cursor ("" removes it): a page of one of the
// list page's lists, the other's page kept.
func withPage(base string, v url.Values, param, cursor string) string {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	out.Del("msg")
	if cursor == "" {
		out.Del(param)
	} else {
		out.Set(param, cursor)
	}
	if len(out) == 0 {
		return base
	}
	return base + "?" + out.Encode()
}

// buildNamedFacets turns a page's facet counts into toggle links, and
// lists the filters in force; the department filtered by is named dept
// ("" for none known): its filter shows that name when no hit gives it.
func buildNamedFacets(base string, v url.Values, facets map[string][]catalog.FacetCount, skip, dept string) ([]facetGroup, []activeFilter) {
	var groups []facetGroup
	var active []activeFilter
	for _, fd := range facetDefs {
		if fd.Facet == skip {
			continue
		}
		g := facetGroup{Label: fd.Label}
		cur := v.Get(fd.Param)
		for _, fc := range facets[fd.Facet] {
			on := cur == fc.Value
			href := withParams(base, v, fd.Param, fc.Value)
			if on {
				href = withParams(base, v, fd.Param, "")
			}
			g.Values = append(g.Values, facetLink{Label: fc.Label, Count: fc.Count, Href: href, Active: on})
			if on {
				active = append(active, activeFilter{Label: fd.Label + "：" + fc.Label, Href: href})
			}
		}
		if cur != "" && !containsFacet(facets[fd.Facet], cur) {
			// A filter with no hits still shows, so that it can be removed.
			label := filterLabel(fd.Facet, cur)
			if fd.Facet == "department_id" && dept != "" {
				label = dept
			}
			active = append(active, activeFilter{Label: fd.Label + "：" + label, Href: withParams(base, v, fd.Param, "")})
		}
		if len(g.Values) > 0 {
			groups = append(groups, g)
		}
	}
	return groups, active
}

func containsFacet(fs []catalog.FacetCount, value string) bool {
	for _, f := range fs {
		if f.Value == value {
			return true
		}
	}
	return false
}

func filterLabel(facet, value string) string {
	switch facet {
	case "security_level":
		return value + "级"
	case "department_id":
		return "部门 " + value
	}
	if l := catalog.Label(facet, value); l != "" {
		return l
	}
	return value
}

func sortOptions(cur string) []sortOption {
	out := []sortOption{{"", "相关度", false}, {"name", "名称", false}, {"updated", "更新时间", false}}
	for i := range out {
		out[i].Selected = out[i].Value == cur
	}
	return out
}

func hiddenFilters(v url.Values) []hiddenField {
	var out []hiddenField
	for _, k := range listParams {
		if k == "q" || k == "sort" {
			continue
		}
		if s := v.Get(k); s != "" {
			out = append(out, hiddenField{k, s})
		}
	}
	return out
}

func (w *Web) catalogPage(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := auth.From(ctx)
	by := catalogActor(p)
	v := r.URL.Query()
	if err := checkParams(v, catalogParams); err != nil {
		return err
	}
	q, err := parseCatalogQuery(v)
	if err != nil {
		return err
	}
	q.Now, q.Hints, q.DomainLabels = w.cfg.Now(), true, true
	view := v.Get("view")
	found := false
	for _, sv := range statusViews {
		if sv.Key == view {
			q.Statuses, q.ReviewDue, found = sv.Statuses, sv.ReviewDue, true
		}
	}
	var own int64
	if by.Editor && !by.Operator {
		own = by.DepartmentID
	}
	export := catalogExportLinks(v, q.Statuses, q.ReviewDue, own)
	if !found {
		return errs.Field("view", "invalid_view", "列表视图无效："+view)
	}
	dept, err := filteredDepartment(ctx, w.cfg.DB.Read(), q.DepartmentID)
	if err != nil {
		return err
	}
	page, err := catalog.Search(ctx, w.cfg.DB.Read(), by, q)
	if err != nil {
		return err
	}
	// The retirement requests wait in the review queue beside the
	// revisions: listed in its view under the list's text and filters,
	// counted in its tab.
	retiring := 0
	if view == "submitted" || by.Reviews() {
		if retiring, err = catalog.CountRetireRequests(ctx, w.cfg.DB.Read(), by, q); err != nil {
			return err
		}
	}
	rc := v.Get("retire_cursor")
	var rp catalog.RetirePage
	if view == "submitted" && retiring > 0 {
		if rp, err = catalog.RetireRequests(ctx, w.cfg.DB.Read(), by, catalog.RetireQuery{Filter: q, Cursor: rc, Limit: retirePageSize}); err != nil {
			return err
		}
		if err := retireRequesterNames(ctx, w.cfg.DB.Read(), rp.Items); err != nil {
			return err
		}
	}
	if err := labelSearchDepartments(ctx, w.cfg.DB.Read(), &page, &dept, rp.Items); err != nil {
		return err
	}
	d := catalogListData{Query: v, Text: q.Text, Sort: string(q.Sort), View: view, Sorts: sortOptions(string(q.Sort)),
		Items: page.Items, Total: page.Total, Hidden: hiddenFilters(v), CanCreate: p.HasRole(rolesCatalogWrite...),
		Operator: by.Operator, Notice: catalogNotices[v.Get("msg")], Base: "/catalog", Widened: page.Widened, Export: export,
		Found: len(page.Items) > 0}
	d.Facets, d.Filters = buildNamedFacets("/catalog", v, page.Facets, "", dept.Name)
	d.Departments, d.DepartmentsTotal = namedDepartmentHints("/catalog", v, page.Departments)
	if d.Departments == nil && len(page.Items) == 0 && q.Cursor == "" {
		if d.Departments, err = departmentHints(ctx, w.cfg.DB.Read(), "/catalog", v, q.Text); err != nil {
			return err
		}
	}
	if page.NextCursor != "" {
		d.Next = withPage("/catalog", v, "cursor", page.NextCursor)
	}
	if q.Cursor != "" {
		d.First = withPage("/catalog", v, "cursor", "")
	}
	if view == "submitted" && retiring > 0 {
		d.RetireRequests, d.RetireTotal = rp.Items, retiring
		if rp.NextCursor != "" {
			d.RetireNext = withPage("/catalog", v, "retire_cursor", rp.NextCursor) + "#retire-requests"
		}
		if rc != "" {
			d.RetireFirst = withPage("/catalog", v, "retire_cursor", "") + "#retire-requests"
		}
	}
	for _, sv := range statusViews {
		if sv.Work && !by.Editor && !by.Reviews() && sv.Key != view {
			continue
		}
		tab := viewTab{Label: sv.Label, Href: withParams("/catalog", v, "view", sv.Key), Active: sv.Key == view}
		if tab.Active {
			d.Empty = sv.Empty
		}
		// The reviewers' queues show how much is waiting: what the tab
		// lists under the list's filters, the same from every tab.
		if by.Reviews() && (sv.Key == "submitted" || sv.Key == "review_due") {
			cq := q
			cq.Statuses, cq.ReviewDue, cq.Cursor, cq.Limit, cq.Facets, cq.Count, cq.Hints = sv.Statuses, sv.ReviewDue, "", 1, false, true, false
			c, err := catalog.Search(ctx, w.cfg.DB.Read(), by, cq)
			if err != nil {
				return err
			}
			tab.Count = c.Total
			if sv.Key == "submitted" {
				tab.Count += retiring
			}
		}
		d.Views = append(d.Views, tab)
	}
	return w.render(rw, r, http.StatusOK, "catalog", "数据资源目录", d)
}

// labelSearchDepartments labels the departments page names (its hits, its
// department facet and the departments its text names), dept, the
// department the list is filtered by, and those of the retirement
// requests listed beside it, in one query.
func labelSearchDepartments(ctx context.Context, q sqldb.Querier, page *catalog.Page, dept *org.Department, retiring []catalog.RetireRequestSummary) error {
	names := listDepartmentNames(page.Facets, page.Departments, dept)
	for i := range page.Items {
		names.add(page.Items[i].DepartmentID, &page.Items[i].DepartmentName)
	}
	for i := range retiring {
		names.add(retiring[i].DepartmentID, &retiring[i].DepartmentName)
	}
	return names.label(ctx, q)
}

// labelPublicDepartments is labelSearchDepartments for a page of the
// public catalog.
func labelPublicDepartments(ctx context.Context, q sqldb.Querier, page *catalog.PublicPage, dept *org.Department) error {
	names := listDepartmentNames(page.Facets, page.Departments, dept)
	for i := range page.Items {
		names.add(page.Items[i].ProviderID, &page.Items[i].Provider)
	}
	return names.label(ctx, q)
}

// listDepartmentNames gathers the departments a catalog list names
// besides its hits: its department facet, the departments its text names
// (hints) and dept, the department the list is filtered by.
func listDepartmentNames(facets map[string][]catalog.FacetCount, hints *catalog.DepartmentHints, dept *org.Department) deptNames {
	names := deptNames{}
	names.add(dept.ID, &dept.Name)
	for i, fc := range facets["department_id"] {
		names.addValue(fc.Value, &facets["department_id"][i].Label)
	}
	if hints != nil {
		for i := range hints.Items {
			names.add(hints.Items[i].ID, &hints.Items[i].Name)
		}
	}
	return names
}

// retireRequesterNames puts the display names of the accounts that asked
// for the retirements in place of their usernames.
func retireRequesterNames(ctx context.Context, q sqldb.Querier, rs []catalog.RetireRequestSummary) error {
	ptrs := make([]*string, len(rs))
	for i := range rs {
		ptrs[i] = &rs[i].RequestedBy
	}
	return displayNames(ctx, q, ptrs...)
}
