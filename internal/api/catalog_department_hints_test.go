package api_test

import (
	"context"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogSearchDepartmentHints: GET /api/v1/catalog/entries and
// /api/v1/public/catalog searched by a department's name (full, short, or
// their end: 统计局) answer department_hints, the departments it names with
// how many entries of each the list without q holds for the caller, where
// they answered only the entries whose names hold the text (none of
// 国民经济核算数据) and nothing of the department. Another department's app
// counts the published entries only, the department's own its draft too,
// the public catalog the shared ones; a q naming no department has no
// department_hints.
func TestCatalogSearchDepartmentHints(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		sys := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
		operator := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "op", Name: "test", DepartmentID: f.deptID}, Operator: true}
		var stats, street int64
		var statsKey string
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			d := org.Department{Name: "南海区统计局", ShortName: "区统计局", USCC: demo.USCC("440605", 7), RegionCode: "440605"}
			if err := org.CreateDepartment(ctx, tx, sys, &d, t0); err != nil {
				return err
			}
			s := org.Department{Name: "桂城街道统计局", USCC: demo.USCC("440605", 8), RegionCode: "440605"}
			if err := org.CreateDepartment(ctx, tx, sys, &s, t0); err != nil {
				return err
			}
			stats, street = d.ID, s.ID
			var err error
			_, statsKey, err = org.CreateApp(ctx, tx, sys, org.NewApp{Name: "统计查询", DepartmentID: d.ID, Scopes: []string{"catalog.read"}}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		resource := func(name string, shared bool) catalog.Resource {
			r := catalog.Resource{Name: name, Abstract: "全区" + name, Format: "database", ShareType: catalog.Conditional,
				ShareConditions: "仅向依法履行职责的政务部门共享", ShareScope: "全区政务部门",
				Classification: catalog.Classification{Class: catalog.Departmental, CategoryCode: "02", CategoryName: "部门", SubcategoryCode: "001", SubcategoryName: "业务"},
				ShareMethods:   []catalog.ShareMethod{"query"}, OpenAttribute: catalog.NotOpen, UpdateFrequency: "monthly", SecurityLevel: 2,
				NetworkZone: "egov_extranet", Domain: "18", SubjectKind: catalog.NoSubject,
				Items: []catalog.Item{{Name: name + "指标", Type: "C", Length: 100}}}
			if !shared {
				r.ShareType, r.ShareConditions, r.ShareMethods, r.ShareScope = catalog.NotShared, "", nil, ""
				r.LegalBasis = "《中华人民共和国统计法》第三十九条"
			}
			return r
		}
		editor := func(dept int64) catalog.Actor {
			return catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: dept}, Editor: true}
		}
		for _, e := range []struct {
			dept   int64
			name   string
			shared bool
		}{{stats, "国民经济核算数据", true}, {stats, "南海区统计局统计公报", true}, {stats, "统计调查对象名录", false},
			{street, "街道经济普查数据", true}} {
			if _, err := demo.PublishEntry(ctx, db, editor(e.dept), operator, resource(e.name, e.shared), t0.Add(-time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := catalog.Create(ctx, tx, editor(stats), stats, resource("人口抽样调查数据", true), t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		type hint struct {
			name  string
			id    int64
			count int
		}
		op := f.session(t, "nh.op")
		for _, c := range []struct {
			who, path, key string
			want           []hint
			total          int
			hdr            []string
		}{
			{"another department's app", "/api/v1/catalog/entries?q=南海区统计局", f.readKey, []hint{{"南海区统计局", stats, 3}}, 1, nil},
			{"another department's app, drafts", "/api/v1/catalog/entries?status=published,draft&q=南海区统计局", f.readKey, []hint{{"南海区统计局", stats, 3}}, 1, nil},
			{"the department's app, drafts", "/api/v1/catalog/entries?status=published,draft&q=南海区统计局", statsKey, []hint{{"南海区统计局", stats, 4}}, 1, nil},
			{"the operator, drafts", "/api/v1/catalog/entries?status=draft&q=南海区统计局", "", []hint{{"南海区统计局", stats, 1}}, 1, op},
			{"public", "/api/v1/public/catalog?q=南海区统计局", "", []hint{{"南海区统计局", stats, 2}}, 1, nil},
			{"short name", "/api/v1/catalog/entries?facets=false&q=区统计局", f.readKey, []hint{{"南海区统计局", stats, 3}}, 1, nil},
			{"short name, public", "/api/v1/public/catalog?q=区统计局", "", []hint{{"南海区统计局", stats, 2}}, 1, nil},
			{"name ending", "/api/v1/catalog/entries?q=统计局", f.readKey, []hint{{"南海区统计局", stats, 3}, {"桂城街道统计局", street, 1}}, 2, nil},
			{"name ending, filtered", "/api/v1/catalog/entries?q=统计局&share_type=none", f.readKey, []hint{{"南海区统计局", stats, 1}}, 1, nil},
			{"no department", "/api/v1/catalog/entries?q=经济", f.readKey, nil, 0, nil},
			{"no department, public", "/api/v1/public/catalog?q=经济", "", nil, 0, nil},
		} {
			u, _ := url.Parse(c.path)
			u.RawQuery = u.Query().Encode()
			r := f.do(t, "GET", u.String(), c.key, "", c.hdr...)
			if r.status != 200 {
				t.Fatalf("%s: %d %v", c.who, r.status, r.body)
			}
			raw, ok := r.body["department_hints"]
			if c.want == nil {
				if ok {
					t.Errorf("%s: department_hints %v, want none", c.who, raw)
				}
				continue
			}
			hs, _ := raw.(map[string]any)
			var got []hint
			items, _ := hs["items"].([]any)
			for _, it := range items {
				m := it.(map[string]any)
				got = append(got, hint{m["name"].(string), int64(m["id"].(float64)), int(m["count"].(float64))})
			}
			if !reflect.DeepEqual(got, c.want) || hs["total"] != float64(c.total) {
				t.Errorf("%s: department_hints %v, want %v of %d", c.who, raw, c.want, c.total)
			}
		}
		// The department's entries are not all found by its name: the hint
		// is what leads to them.
		r := f.do(t, "GET", "/api/v1/catalog/entries?q="+url.QueryEscape("南海区统计局"), f.readKey, "")
		if r.body["total"] != 1.0 {
			t.Errorf("search by the name: total %v, want 1 (南海区统计局统计公报)", r.body["total"])
		}
	})
}
