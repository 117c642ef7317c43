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
		f, police, r, by := departmentHintsWorld(t, db)
		r.ShareType, r.LegalBasis = catalog.NotShared, "《中华人民共和国出境入境管理法》第八十五条"
		op := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "op", Name: "test", DepartmentID: f.depts["数管局"].ID}, Operator: true}
		if _, err := demo.PublishEntry(context.Background(), db, by, op, r, f.clock.Now().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		filtered := `href="/public/catalog?` + html.EscapeString(url.Values{"department_id": {strconv.FormatInt(police.ID, 10)}}.Encode()) + `"`
		hint := police.Name + `</a>（2 个）`
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
