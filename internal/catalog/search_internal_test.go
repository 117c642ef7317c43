package catalog

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAttrsSQLInMigrations checks that migration 0005 packs attributes
// exactly as attrsSQL does.
func TestAttrsSQLInMigrations(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b, err := os.ReadFile("../sqldb/migrations/" + engine + "/0005_catalog_search.sql")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range []string{"e", "NEW"} {
			if !strings.Contains(string(b), attrsSQL(e)) {
				t.Errorf("%s migration 0005 does not hold attrsSQL(%q)", engine, e)
			}
		}
	}
}

// TestFastSearchMatchesSQL compares the fast path with the plain SQL one on
// a generated catalog: same hits, order, pages and facet counts.
func TestFastSearchMatchesSQL(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		buildCatalog(t, db, 1500)
		// Some entries change state after indexing, through the triggers.
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = 'retired', updated_at = $1 WHERE id % 7 = 0`,
			time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = 'draft' WHERE id % 11 = 0`); err != nil {
			t.Fatal(err)
		}
		reader := Actor{Actor: audit.Actor{DepartmentID: 3}}
		operator := Actor{Operator: true}
		var texts []string
		for _, qs := range benchQueries {
			texts = append(texts, qs...)
		}
		texts = append(texts, "", "登记 许可", "身份证", "信息", "户籍人口登记信息", "zz", "证照编号")
		queries := []Query{{}, {SharedOnly: true}, {ShareType: Conditional}, {Statuses: []Status{Published, Retired}},
			{DepartmentID: 5}, {Domain: "03", SecurityLevel: 2}, {ShareMethod: "verify"}, {Statuses: []Status{Draft}},
			{Sort: ByUpdated}, {Sort: ByName}, {OpenAttribute: "open", UpdateFrequency: "daily"}}
		for _, text := range texts {
			for _, base := range queries {
				for _, by := range []Actor{reader, operator} {
					q := base
					q.Text, q.Facets, q.Limit, q.Sort = text, true, 7, base.Sort
					if q.Sort == "" {
						q.Sort = ByRelevance
					}
					for range 3 {
						cur, _ := decodeCursor(q.Cursor, q.Sort)
						fast, ok, err := fastSearch(ctx, db.Read(), by, q, cur)
						if err != nil {
							t.Fatal(err)
						}
						if !ok {
							break
						}
						slow, err := slowSearch(ctx, db.Read(), by, q, cur)
						if err != nil {
							t.Fatal(err)
						}
						if !reflect.DeepEqual(ids(fast), ids(slow)) || fast.Total != slow.Total || (fast.NextCursor == "") != (slow.NextCursor == "") {
							t.Fatalf("%q %+v: fast %v total %d, sql %v total %d", text, q, ids(fast), fast.Total, ids(slow), slow.Total)
						}
						if !reflect.DeepEqual(facetMap(fast), facetMap(slow)) {
							t.Fatalf("%q %+v: facets\nfast %v\nsql  %v", text, q, facetMap(fast), facetMap(slow))
						}
						if fast.NextCursor == "" {
							break
						}
						q.Cursor = fast.NextCursor
					}
				}
			}
		}
	})
}

func ids(p Page) []int64 {
	var out []int64
	for _, s := range p.Items {
		out = append(out, s.ID)
	}
	return out
}

func facetMap(p Page) map[string]int {
	out := map[string]int{}
	for name, fs := range p.Facets {
		for _, f := range fs {
			out[name+"="+f.Value+" "+f.Label] = f.Count
		}
	}
	return out
}
