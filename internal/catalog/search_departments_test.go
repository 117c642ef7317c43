package catalog_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalog/catalogtest"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/text"
)

// TestSearchNamedDepartments: a search for a department's name (its full
// name, short name, or the end of them: 统计局) tells the departments it
// names (Page.Departments, Query.Hints) with how many entries of each the
// list without the text holds for the reader, where it gave partial
// matches of other departments and missed the department's entries whose
// names do not hold its name, and said nothing of the department. Another
// department's reader counts its published entries only, the public
// catalog its shared ones; a text naming no department has no hint.
func TestSearchNamedDepartments(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d := catalogtest.NewDistrict(t, db, t0)
		w := &world{db: db, operator: d.Operator, gaj: d.GAJ, rsj: d.RSJ, scj: d.SCJ,
			gajID: d.GAJ.DepartmentID, rsjID: d.RSJ.DepartmentID, scjID: d.SCJ.DepartmentID}
		var stats [2]catalog.Actor
		sys := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		for i, n := range [][2]string{{"南海区统计局", "区统计局"}, {"桂城街道统计局", ""}} {
			dep := org.Department{Name: n[0], ShortName: n[1], USCC: demo.USCC("440605", 10+i), RegionCode: "440605"}
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, sys, &dep, t0) }); err != nil {
				t.Fatal(err)
			}
			stats[i] = catalogtest.Actor(fmt.Sprintf("tjj%d", i), dep.ID, true, false)
		}
		add := func(by catalog.Actor, name string, shared, published bool) {
			r := household()
			r.Name, r.SubjectKind = name, catalog.NoSubject
			r.Items = []catalog.Item{{Name: name + "编号", Type: "C", Length: 20}}
			if !shared {
				r.ShareType, r.ShareMethods, r.ShareScope = catalog.NotShared, nil, ""
				r.LegalBasis = "《中华人民共和国档案法》第二十八条"
			}
			if published {
				publish(t, w, by, r)
			} else {
				create(t, w, by, r)
			}
		}
		add(w.gaj, "户籍人口基本信息", true, true)
		add(w.gaj, "交通电子警察点位信息", true, true)
		add(w.gaj, "户籍档案", false, true)
		add(w.gaj, "出入境证件信息", true, false)
		add(w.rsj, "佛山市公安局南海分局协查人员社保信息", true, true)
		add(stats[0], "国民经济统计数据", true, true)
		add(stats[0], "人口抽样调查数据", true, true)
		add(stats[1], "街道经济统计数据", true, true)
		drafts := []catalog.Status{catalog.Published, catalog.Draft}
		type want struct {
			names  []string
			counts []int
			total  int
		}
		hints := func(p *catalog.DepartmentHints) want {
			if p == nil {
				return want{}
			}
			var g want
			for _, h := range p.Items {
				g.names, g.counts = append(g.names, h.Name), append(g.counts, h.Count)
			}
			g.total = p.Total
			return g
		}
		for _, tt := range []struct {
			by     catalog.Actor
			q      catalog.Query
			public bool
			want   want
		}{
			// 3 published (one not shared) and, for its department, a draft.
			{by: w.scj, q: catalog.Query{Text: "佛山市公安局南海分局"}, want: want{[]string{d.GAJName}, []int{3}, 1}},
			{by: w.gaj, q: catalog.Query{Text: "佛山市公安局南海分局", Statuses: drafts}, want: want{[]string{d.GAJName}, []int{4}, 1}},
			{by: w.scj, q: catalog.Query{Text: "佛山市公安局南海分局", Statuses: drafts}, want: want{[]string{d.GAJName}, []int{3}, 1}},
			{by: w.operator, q: catalog.Query{Text: "佛山市公安局南海分局", Statuses: drafts}, want: want{[]string{d.GAJName}, []int{4}, 1}},
			{public: true, q: catalog.Query{Text: "佛山市公安局南海分局"}, want: want{[]string{d.GAJName}, []int{2}, 1}},
			// the short name, in other width and spacing; the list's filters count
			{by: w.scj, q: catalog.Query{Text: "南海 公安分局"}, want: want{[]string{d.GAJName}, []int{3}, 1}},
			{by: w.scj, q: catalog.Query{Text: "南海公安分局", ShareType: catalog.NotShared}, want: want{[]string{d.GAJName}, []int{1}, 1}},
			// a department's name ending: exact first, then by entries
			{by: w.scj, q: catalog.Query{Text: "统计局"}, want: want{[]string{"南海区统计局", "桂城街道统计局"}, []int{2, 1}, 2}},
			{by: w.scj, q: catalog.Query{Text: "区统计局"}, want: want{[]string{"南海区统计局"}, []int{2}, 1}},
			{by: w.scj, q: catalog.Query{Text: "街道统计局"}, want: want{[]string{"桂城街道统计局"}, []int{1}, 1}},
			// the department the list is filtered by is no hint
			{by: w.scj, q: catalog.Query{Text: "统计局", DepartmentID: stats[0].DepartmentID}, want: want{[]string{"桂城街道统计局"}, []int{1}, 1}},
			// no department named, or one without entries in the list
			{by: w.scj, q: catalog.Query{Text: "户籍"}},
			{by: w.scj, q: catalog.Query{Text: "公安"}},
			{by: w.scj, q: catalog.Query{Text: "局"}},
			{by: w.scj, q: catalog.Query{Text: "区市监局"}},
		} {
			name := fmt.Sprintf("%s %q %v public=%v", tt.by.Name, tt.q.Text, tt.q.Statuses, tt.public)
			tt.q.Hints, tt.q.Facets = true, true
			var got want
			if tt.public {
				p, err := catalog.Public(ctx, db.Read(), tt.q)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				got = hints(p.Departments)
			} else {
				p, err := catalog.Search(ctx, db.Read(), tt.by, tt.q)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				got = hints(p.Departments)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s: hints %+v, want %+v", name, got, tt.want)
			}
		}
		// Without Query.Hints none are computed.
		p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: "佛山市公安局南海分局"})
		if err != nil || p.Departments != nil {
			t.Errorf("without Hints: %+v, %v", p.Departments, err)
		}
	})
}

// TestSearchNamedDepartmentsCapped: a text naming more departments than
// catalog.MaxDepartmentHints lists that many, and counts them all.
func TestSearchNamedDepartmentsCapped(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		sys := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		const n = catalog.MaxDepartmentHints + 2
		for i := range n {
			dep := org.Department{Name: fmt.Sprintf("第%d街道统计局", i+1), USCC: demo.USCC("440605", 10+i), RegionCode: "440605"}
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, sys, &dep, t0) }); err != nil {
				t.Fatal(err)
			}
			r := household()
			r.Name, r.SubjectKind = fmt.Sprintf("街道%d经济统计数据", i+1), catalog.NoSubject
			r.Items = []catalog.Item{{Name: r.Name + "编号", Type: "C", Length: 20}}
			publish(t, w, catalogtest.Actor(fmt.Sprintf("tjj%d", i), dep.ID, true, false), r)
		}
		p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: "街道统计局", Hints: true})
		if err != nil {
			t.Fatal(err)
		}
		if p.Departments == nil || len(p.Departments.Items) != catalog.MaxDepartmentHints || p.Departments.Total != n {
			t.Fatalf("hints %+v, want %d of %d", p.Departments, catalog.MaxDepartmentHints, n)
		}
		if got := p.Departments.Items[0]; got.Name != "第1街道统计局" || got.Count != 1 {
			t.Errorf("first hint %+v, want 第1街道统计局 with 1", got)
		}
	})
}

// TestSearchNamedDepartmentsFirstPageOnly: the departments a search's text
// names come with its first page; a page after it (Query.Cursor) has none,
// where every page of the console, the API and the public catalog read
// and counted them again.
func TestSearchNamedDepartmentsFirstPageOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		sys := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		dep := org.Department{Name: "南海区统计局", USCC: demo.USCC("440605", 10), RegionCode: "440605"}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, sys, &dep, t0) }); err != nil {
			t.Fatal(err)
		}
		tjj := catalogtest.Actor("tjj", dep.ID, true, false)
		for _, name := range []string{"统计局年度报表数据", "统计局季度报表数据"} {
			r := household()
			r.Name, r.SubjectKind = name, catalog.NoSubject
			r.Items = []catalog.Item{{Name: name + "编号", Type: "C", Length: 20}}
			publish(t, w, tjj, r)
		}
		for _, public := range []bool{false, true} {
			search := func(cursor string) (*catalog.DepartmentHints, string) {
				q := catalog.Query{Text: "统计局", Limit: 1, Hints: true, Cursor: cursor}
				if public {
					p, err := catalog.Public(ctx, db.Read(), q)
					if err != nil {
						t.Fatal(err)
					}
					return p.Departments, p.NextCursor
				}
				p, err := catalog.Search(ctx, db.Read(), w.scj, q)
				if err != nil {
					t.Fatal(err)
				}
				return p.Departments, p.NextCursor
			}
			first, next := search("")
			if first == nil || first.Total != 1 || first.Items[0].Name != "南海区统计局" || first.Items[0].Count != 2 || next == "" {
				t.Fatalf("public=%v: first page hints %+v, cursor %q; want 南海区统计局 with 2, and a cursor", public, first, next)
			}
			if second, _ := search(next); second != nil {
				t.Errorf("public=%v: second page hints %+v, want none", public, second)
			}
		}
	})
}

// TestSearchNamedDepartmentsFolded: the departments are found in SQL by
// their stored keys (name_key, short_name_key) before their names' keys
// are compared, so a name holding a character in a form its key folds
// (⼼, the Kangxi radical, for 心) is named as before, and one holding the
// characters but not ending with them (中心医院) is not counted; so too
// when the keys are not stored (an empty name_key, as a server older than them
// writes a department during a rolling upgrade), for some departments or
// all.
func TestSearchNamedDepartmentsFolded(t *testing.T) {
	names := []string{"南海区数据中\u2f3c", "桂城街道服务中心", "南海区中心医院", "数据中心医院", "南海区档案中心"}
	for _, keys := range []struct {
		name  string
		keyed func(i int) bool
	}{
		{"keyed", func(int) bool { return true }},
		{"unkeyed", func(int) bool { return false }},
		{"mixed", func(i int) bool { return i%2 == 0 }},
	} {
		t.Run(keys.name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				ctx := context.Background()
				w := newWorld(t, db)
				for i, name := range names {
					key := ""
					if keys.keyed(i) {
						key = text.NameKey(name)
					}
					var id int64
					if err := db.Write().QueryRowContext(ctx, `INSERT INTO departments (name, name_key, uscc, region_code, created_at) VALUES ($1, $2, $3, '440605', $4) RETURNING id`,
						name, key, demo.USCC("440605", 10+i), t0).Scan(&id); err != nil {
						t.Fatal(err)
					}
					r := household()
					r.Name, r.SubjectKind = fmt.Sprintf("街道%d经济统计数据", i+1), catalog.NoSubject
					r.Items = []catalog.Item{{Name: r.Name + "编号", Type: "C", Length: 20}}
					for range i + 1 {
						publish(t, w, catalogtest.Actor(fmt.Sprintf("dep%d", i), id, true, false), r)
						r.Name += "副本"
						r.Items[0].Name = r.Name + "编号"
					}
				}
				for _, tt := range []struct {
					text   string
					names  []string
					counts []int
				}{
					{"中心", []string{names[4], names[1], names[0]}, []int{5, 2, 1}},
					{"数据中心", []string{names[0]}, []int{1}},
					{"区数据中心", []string{names[0]}, []int{1}},
					{"中心医院", []string{names[3], names[2]}, []int{4, 3}},
					{"医院中心", nil, nil},
				} {
					p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: tt.text, Hints: true})
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					var counts []int
					if p.Departments != nil {
						for _, h := range p.Departments.Items {
							got, counts = append(got, h.Name), append(counts, h.Count)
						}
						if p.Departments.Total != len(tt.names) {
							t.Errorf("%s: total %d, want %d", tt.text, p.Departments.Total, len(tt.names))
						}
					}
					if !reflect.DeepEqual(got, tt.names) || !reflect.DeepEqual(counts, tt.counts) {
						t.Errorf("%s: hints %v %v, want %v %v", tt.text, got, counts, tt.names, tt.counts)
					}
				}
			})
		})
	}
}
