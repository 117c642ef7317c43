package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// publishKind publishes an entry of dept about subjects of kind, identified
// by id.
func publishKind(t *testing.T, f *fixture, dept, name string, kind catalog.SubjectKind, id catalog.Item) int64 {
	t.Helper()
	ctx, now := context.Background(), f.clock.Now().Add(-time.Hour)
	by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: f.depts[dept].ID}, Editor: true}
	op := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "op", Name: "test", DepartmentID: f.depts["数管局"].ID}, Operator: true}
	r := catalog.Resource{Name: name, Abstract: name + "，供各部门核验使用", Format: "database", ShareType: catalog.Conditional,
		ShareConditions: "仅向依法履行职责的政务部门共享", ShareScope: "全区政务部门",
		Classification: catalog.Classification{Class: catalog.Departmental, CategoryCode: "02", CategoryName: "部门", SubcategoryCode: "001", SubcategoryName: "业务"},
		ShareMethods:   []catalog.ShareMethod{"query"}, OpenAttribute: catalog.NotOpen, UpdateFrequency: "daily", SecurityLevel: 3,
		NetworkZone: "egov_extranet", Domain: "18", SubjectKind: kind, Timeliness: "2个工作日内",
		Items: []catalog.Item{id, {Name: "名称", Type: "C", Length: 100}}}
	eid, err := demo.PublishEntry(ctx, f.db, by, op, r, now)
	if err != nil {
		t.Fatalf("publish %s: %v", name, err)
	}
	return eid
}

var hrefRE = regexp.MustCompile(`href="(/(?:catalog|org)(?:\?[^"]*)?)"`)

// TestConsoleListParams: the catalog list filters by subject kind
// (subject_kind, as the API's list does), with a 主体类型 facet whose
// counts and links agree with the list, where the console ignored the
// parameter and listed every entry; a parameter /catalog or /org does not
// take is refused 400 with a Chinese page naming it, where the list was
// shown unfiltered (/catalog?foo=1, /org?q=公安). Every link the two pages
// give (tabs, facets, pagers, searches cleared) is still answered 200. On
// both engines.
func TestConsoleListParams(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		person := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		company := catalog.Item{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true}
		publishKind(t, f, "公安分局", "居住登记信息", catalog.Person, person)
		publishKind(t, f, "市场监管局", "个体工商户登记信息", catalog.Person, person)
		publishKind(t, f, "市场监管局", "企业登记信息", catalog.LegalEntity, company)
		c := f.loggedIn(t, "operator")

		r := c.get("/catalog")
		wantStatus(t, "GET /catalog", r, http.StatusOK)
		wantBody(t, "GET /catalog", r, "共 3 个", "<h3>主体类型</h3>",
			`<a href="/catalog?subject_kind=person"><span>自然人</span> <span class="facet-count">2</span></a>`,
			`<a href="/catalog?subject_kind=legal_entity"><span>法人和其他组织</span> <span class="facet-count">1</span></a>`)
		r = c.get("/catalog?subject_kind=legal_entity")
		wantStatus(t, "subject_kind=legal_entity", r, http.StatusOK)
		wantBody(t, "subject_kind=legal_entity", r, "共 1 个", "企业登记信息", "主体类型：法人和其他组织 <span aria-hidden=\"true\">×</span>",
			`name="subject_kind" value="legal_entity"`)
		wantNoBody(t, "subject_kind=legal_entity", r, "居住登记信息", "个体工商户登记信息")
		r = c.get("/catalog?subject_kind=person&q=" + url.QueryEscape("登记"))
		wantBody(t, "subject_kind=person&q=登记", r, "共 2 个", "居住登记信息", "个体工商户登记信息")
		wantNoBody(t, "subject_kind=person&q=登记", r, "企业登记信息")
		r = c.get("/catalog?subject_kind=robot")
		wantStatus(t, "subject_kind=robot", r, http.StatusBadRequest)
		wantBody(t, "subject_kind=robot", r, "筛选条件“主体类型”的取值“robot”无效")

		for _, b := range []struct{ url, param string }{
			{"/catalog?foo=1", "foo"},
			{"/catalog?subject_kind=person&utm_source=x", "utm_source"},
			{"/org?q=" + url.QueryEscape("公安"), "q"},
		} {
			r := c.get(b.url)
			wantStatus(t, b.url, r, http.StatusBadRequest)
			wantBody(t, b.url, r, "本页不支持查询参数“"+b.param+"”", "unknown_parameter")
			wantNoBody(t, b.url, r, "居住登记信息", "佛山市南海区市场监督管理局")
		}

		// Every link of the pages, and of the pages they lead to, answers.
		seen := crawl(t, c, hrefRE, 200, []string{"/catalog", "/catalog?subject_kind=person&view=retired", "/catalog?view=drafts&msg=deleted",
			"/org", "/org?dept_q=" + url.QueryEscape("公安") + "&msg=department_created"}, nil, nil)
		if len(seen) < 20 {
			t.Errorf("followed %d links, want at least 20: %v", len(seen), seen)
		}
	})
}
