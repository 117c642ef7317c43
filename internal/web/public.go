package web

import (
	"maps"
	"net/http"
	"net/url"
	"strings"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
)

// The public catalog (共享互认目录) needs no login: citizens and companies
// browse the published, shared entries through catalog.Public, which hides
// the restricted metadata (security level, network zone, share conditions
// and scope, legal basis, timeliness, related codes). Its pages use their
// own layout without the staff navigation.

type publicData struct {
	List  *catalogListData
	Hits  []catalog.PublicEntry
	Entry *catalog.PublicEntry
	Facts []fact
}

// publicParams are the parameters /public/catalog takes, each with what it
// is to the citizen who reads the page: the console list's but its tabs
// (view) and the security level, which the public catalog hides, and the
// cursor of a later page.
var publicParams = []struct{ Name, Label string }{
	{"q", "关键词"}, {"sort", "排序"}, {"department_id", "数源部门"}, {"domain", "所属领域"},
	{"share_type", "共享类型"}, {"share_method", "共享方式"}, {"update_frequency", "更新周期"},
	{"open_attribute", "开放属性"}, {"subject_kind", "主体类型"}, {"cursor", "翻页"},
}

// publicKnown splits the parameters of v into those the public catalog
// takes and a notice naming the others, in words a citizen reads. The
// others are ignored, not refused: a link shared in a chat comes back
// with tags the messenger adds (from, isappinstalled, utm_source), and
// the citizen who follows it should see the catalog; the notice says that
// the list is not filtered by them, so that none looks applied.
func publicKnown(v url.Values) (url.Values, string) {
	names := make([]string, len(publicParams))
	taken := make([]string, len(publicParams))
	for i, p := range publicParams {
		names[i], taken[i] = p.Name, p.Label+"（"+p.Name+"）"
	}
	unknown := unknownParams(v, names)
	if len(unknown) == 0 {
		return v, ""
	}
	known := maps.Clone(v)
	for i, name := range unknown {
		delete(known, name)
		unknown[i] = "“" + name + "”"
	}
	return known, "网址中的" + strings.Join(unknown, "、") + "不是本目录的查询条件，已忽略，下面的结果未按其筛选。可以使用的查询条件有：" +
		strings.Join(taken, "、") + "。"
}

func (w *Web) publicCatalogPage(rw http.ResponseWriter, r *http.Request) error {
	v, notice := publicKnown(r.URL.Query())
	const base = "/public/catalog"
	q, err := parseCatalogQuery(v)
	if err != nil {
		e := errs.As(err)
		if e == nil || e.Kind != errs.Invalid {
			return err
		}
		known := v
		l := &catalogListData{Query: known, Text: strings.TrimSpace(v.Get("q")), Sort: v.Get("sort"), Sorts: sortOptions(v.Get("sort")),
			Base: base, Error: e.Message, Notice: notice}
		_, l.Filters = buildNamedFacets(base, known, nil, "security_level", "")
		kept := maps.Clone(known)
		kept.Del(e.Field)
		l.Hidden = hiddenFilters(kept)
		return w.render(rw, r, http.StatusBadRequest, "public", "共享互认目录", publicData{List: l})
	}
	// A department that is not one is not found (部门不存在, on the
	// public catalog's error page), as GET /api/v1/public/catalog and the
	// console's lists answer it, not a department without entries.
	dept, err := filteredDepartment(r.Context(), w.cfg.DB.Read(), q.DepartmentID)
	if err != nil {
		return err
	}
	q.SecurityLevel = 0
	q.Now, q.Hints = w.cfg.Now(), true
	page, err := catalog.Public(r.Context(), w.cfg.DB.Read(), q)
	if err != nil {
		return err
	}
	if err := labelPublicDepartments(r.Context(), w.cfg.DB.Read(), &page, &dept); err != nil {
		return err
	}
	l := &catalogListData{Query: v, Text: q.Text, Sort: string(q.Sort), Sorts: sortOptions(string(q.Sort)),
		Total: page.Total, Hidden: hiddenFilters(v), Base: base, Notice: notice, Widened: page.Widened, Found: len(page.Items) > 0}
	l.Facets, l.Filters = buildNamedFacets(base, v, page.Facets, "security_level", dept.Name)
	// The departments the text names, counting their shared entries, as
	// on the console's catalog; else, when nothing was found, those whose
	// names hold it.
	l.Departments, l.DepartmentsTotal = namedDepartmentHints(base, v, page.Departments)
	if l.Departments == nil && len(page.Items) == 0 && q.Cursor == "" {
		if l.Departments, err = departmentHints(r.Context(), w.cfg.DB.Read(), base, v, q.Text); err != nil {
			return err
		}
	}
	if page.NextCursor != "" {
		next := url.Values{}
		for k, vs := range v {
			next[k] = vs
		}
		next.Set("cursor", page.NextCursor)
		l.Next = base + "?" + next.Encode()
	}
	if q.Cursor != "" {
		l.First = withParams(base, v)
	}
	return w.render(rw, r, http.StatusOK, "public", "共享互认目录", publicData{List: l, Hits: page.Items})
}

// publicEntryPage shows the public catalog's entry of the code in the
// path, its 数源部门 named by its label (org.DepartmentLabel), as the
// list names it.
func (w *Web) publicEntryPage(rw http.ResponseWriter, r *http.Request) error {
	code := strings.TrimSpace(r.PathValue("code"))
	p, err := catalog.PublicByCode(r.Context(), w.cfg.DB.Read(), code)
	if err != nil {
		return err
	}
	provider := deptNames{}
	provider.add(p.ProviderID, &p.Provider)
	if err := provider.label(r.Context(), w.cfg.DB.Read()); err != nil {
		return err
	}
	var services []string
	for _, s := range p.ServiceItems {
		services = append(services, strings.TrimSpace(s.Code+" "+s.Name))
	}
	c := p.Classification
	facts := []fact{
		{Label: "资源代码", Value: p.Code, Mono: true},
		{Label: "数源部门", Value: p.Provider},
		{Label: "摘要", Value: p.Abstract},
		{Label: "资源分类", Value: c.Class.Label() + " / " + c.CategoryName + " / " + c.SubcategoryName},
		{Label: "信息资源格式", Value: p.Format},
		{Label: "主体类型", Value: p.SubjectKind},
		{Label: "所属领域", Value: p.Domain},
		{Label: "共享类型", Value: p.ShareType},
		{Label: "共享方式", Value: strings.Join(p.ShareMethods, "、")},
		{Label: "开放属性", Value: p.OpenAttribute},
		{Label: "开放条件", Value: p.OpenConditions},
		{Label: "更新周期", Value: p.UpdateFrequency},
		{Label: "关联政务服务事项", Value: strings.Join(services, "；")},
		{Label: "发布时间", Value: formatTime(p.PublishedAt)},
	}
	for i := range facts {
		if facts[i].Value == "" {
			facts[i].Value, facts[i].Mono = "—", false
		}
	}
	return w.render(rw, r, http.StatusOK, "public", p.Name+" - 共享互认目录", publicData{Entry: &p, Facts: facts})
}
