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
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPublicCatalogDepartmentHints: the public catalog searched by a
// department's name or short name points to its filter, with how many
// shared entries it publishes (its unshared one not counted), when the
// search finds entries too, as the console's catalog does, where it
// pointed to departments only when nothing was found; a text naming no
// department has no hint.
func TestPublicCatalogDepartmentHints(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		publish(t, f, "公安分局", "佛山市公安局南海分局协查信息", "01", "001", id)
		publishKind(t, f, "公安分局", "交通电子警察点位信息", catalog.NoSubject, catalog.Item{Name: "点位编号", Type: "C", Length: 20})
		police := f.depts["公安分局"]
		r := catalog.Resource{Name: "出入境证件信息", Abstract: "出入境证件签发信息", Format: "database", ShareType: catalog.NotShared,
			LegalBasis:     "《中华人民共和国出境入境管理法》第八十五条",
			Classification: catalog.Classification{Class: catalog.Departmental, CategoryCode: "01", CategoryName: "部门", SubcategoryCode: "003", SubcategoryName: "业务"},
			OpenAttribute:  catalog.NotOpen, UpdateFrequency: "daily", SecurityLevel: 3,
			NetworkZone: "egov_extranet", Domain: "18", SubjectKind: catalog.NoSubject, Items: []catalog.Item{{Name: "证件号码", Type: "C", Length: 20}}}
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: police.ID}, Editor: true}
		op := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "op", Name: "test", DepartmentID: f.depts["数管局"].ID}, Operator: true}
		if _, err := demo.PublishEntry(context.Background(), db, by, op, r, f.clock.Now().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		filtered := `href="/public/catalog?` + html.EscapeString(url.Values{"department_id": {strconv.FormatInt(police.ID, 10)}}.Encode()) + `"`
		hint := police.Name + `</a>（2 条）`
		anon := f.client(t)
		for _, name := range []string{police.Name, police.ShortName} {
			res := anon.get("/public/catalog?q=" + url.QueryEscape(name))
			wantBody(t, name, res, `id="department-hints"`, filtered, hint, "查看该部门的全部数据资源")
			wantNoBody(t, name, res, "出入境证件信息")
			if name == police.Name {
				wantBody(t, name, res, "佛山市公安局南海分局协查信息")
			}
		}
		res := anon.get("/public/catalog?q=" + url.QueryEscape("交通电子"))
		wantBody(t, "no department", res, "交通电子警察点位信息")
		wantNoBody(t, "no department", res, `id="department-hints"`)
	})
}
