package web_test

import (
	"context"
	"html"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogDepartmentHints: the console's /catalog searched by a
// department's name or short name points to its filter, with how many
// entries the list holds of it, when the search finds entries too (the
// one whose name holds the department's), where it pointed to departments
// only when nothing was found; the count is what the reader sees (another
// department's drafts not: its list of drafts has no count of them), and
// a text naming no department has no hint.
func TestCatalogDepartmentHints(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f, police, r, by := departmentHintsWorld(t, db)
		r.ShareType, r.ShareConditions, r.ShareScope = catalog.Conditional, "仅向依法履行职责的政务部门共享", "全区政务部门"
		r.ShareMethods = []catalog.ShareMethod{"query"}
		if err := db.Tx(context.Background(), func(tx *sqldb.Tx) error {
			_, err := catalog.Create(context.Background(), tx, by, police.ID, r, f.clock.Now().Add(-time.Hour))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		filtered := func(view string) string {
			v := url.Values{"department_id": {strconv.FormatInt(police.ID, 10)}}
			if view != "" {
				v.Set("view", view)
			}
			return `href="/catalog?` + html.EscapeString(v.Encode()) + `"`
		}
		hint := func(n int) string { return police.Name + `</a>（` + strconv.Itoa(n) + ` 个）` }
		op, market, own := f.client(t), f.client(t), f.client(t)
		op.login("operator")
		market.login("market.admin")
		own.login("police.admin")
		for _, name := range []string{police.Name, police.ShortName, "公安 分局"} {
			res := op.get("/catalog?q=" + url.QueryEscape(name))
			wantBody(t, name, res, `id="department-hints"`, filtered(""), hint(2))
			if name == police.Name {
				wantBody(t, name, res, "佛山市公安局南海分局协查信息")
			}
		}
		res := own.get("/catalog?view=drafts&q=" + url.QueryEscape(police.ShortName))
		wantBody(t, "own drafts", res, `id="department-hints"`, filtered("drafts"), hint(1))
		res = market.get("/catalog?view=drafts&q=" + url.QueryEscape(police.ShortName))
		wantNoBody(t, "another department's drafts", res, hint(1))
		res = market.get("/catalog?q=" + url.QueryEscape(police.Name))
		wantBody(t, "another department", res, `id="department-hints"`, filtered(""), hint(2))
		res = op.get("/catalog?q=" + url.QueryEscape("交通电子"))
		wantBody(t, "no department", res, "交通电子警察点位信息")
		wantNoBody(t, "no department", res, `id="department-hints"`)
	})
}

// departmentHintsWorld is a fixture where 公安分局 published two entries
// (one naming 公安 in its name); r is a third resource of it, its sharing
// left to set, and by an editor of 公安分局 to write it.
func departmentHintsWorld(t *testing.T, db *sqldb.DB) (f *fixture, police org.Department, r catalog.Resource, by catalog.Actor) {
	t.Helper()
	f = newFixture(t, db)
	id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
	publish(t, f, "公安分局", "佛山市公安局南海分局协查信息", "01", "001", id)
	publishKind(t, f, "公安分局", "交通电子警察点位信息", catalog.NoSubject, catalog.Item{Name: "点位编号", Type: "C", Length: 20})
	police = f.depts["公安分局"]
	r = catalog.Resource{Name: "出入境证件信息", Abstract: "出入境证件签发信息", Format: "database",
		Classification: catalog.Classification{Class: catalog.Departmental, CategoryCode: "01", CategoryName: "部门", SubcategoryCode: "003", SubcategoryName: "业务"},
		OpenAttribute:  catalog.NotOpen, UpdateFrequency: "daily", SecurityLevel: 3,
		NetworkZone: "egov_extranet", Domain: "18", SubjectKind: catalog.NoSubject, Items: []catalog.Item{{Name: "证件号码", Type: "C", Length: 20}}}
	by = catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: police.ID}, Editor: true}
	return f, police, r, by
}
