package catalog_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// eachDemo is sqldbtest.Each on a copy of the demo's database (demo.Seed
// at 2026-03-02 09:00 UTC), seeded once per engine in the test binary
// (sqldbtest.EachFilled), where each test seeded its own.
func eachDemo(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	sqldbtest.EachFilled(t, "demo 2026-03-02", func(ctx context.Context, db *sqldb.DB) error {
		_, err := demo.Seed(ctx, db, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		return err
	}, fn)
}

// TestSearchDemoWidening searches the demo catalog (demo.Seed, 62 entries)
// with the licence names and service materials of the real data
// (licence_types.csv, service_items.csv) a user audit tried. Before, the
// widened match counted every bigram some entry holds, so a query sharing
// one generic bigram with an entry found it: every missing 许可证 listed
// all 许可 entries, 行驶证 机动车驾驶证信息 (驶证), 毕业证 律师执业信息 (业证),
// 低保证明 every certificate, 收养登记证 every 登记 entry. Now a widened hit
// must hold half of the query's distinctive bigrams, and the page says it
// is partial (Widened).
func TestSearchDemoWidening(t *testing.T) {
	eachDemo(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorUser, ID: "reader", Name: "reader"}}
		for _, tt := range []struct {
			q      string
			want   []string // the hits, in order; nil for none
			wide   bool     // a partial match
			absent string   // an entry that must not be found
		}{
			{q: "排污许可证"},
			{q: "采矿许可证"},
			{q: "取水许可证"},
			{q: "行驶证"},
			{q: "准生证"},
			{q: "毕业证"},
			{q: "收养登记证"},
			// 经营 is common (commonWords) and no entry holds 药品: 食品经营许可信息
			// and 经营异常名录信息 were noise (TestSearchDemoWidenedNoise).
			{q: "药品经营许可证"},
			{q: "低保证明", want: []string{"最低生活保障对象信息"}, wide: true},
			{q: "收入证明", absent: "户口迁移登记信息"},
			{q: "企业信息公示", absent: "律师执业信息"},
			{q: "食品许可证", want: []string{"食品经营许可信息"}, wide: true},
			{q: "无犯罪证明", want: []string{"无犯罪记录证明信息"}, wide: true},
			{q: "婚姻证明", want: []string{"婚姻登记信息"}, wide: true},
			{q: "户籍证明", want: []string{"户口迁移登记信息", "户籍人口基本信息"}, wide: true},
			{q: "不动产证明", want: []string{"不动产登记信息", "不动产抵押登记信息"}, wide: true},
			// found whole: not widened
			{q: "营业执照", want: []string{"营业执照信息"}},
			{q: "身份证", want: []string{"居民身份证信息"}},
		} {
			p, err := catalog.Search(ctx, db.Read(), by, catalog.Query{Text: tt.q, Facets: true})
			if err != nil {
				t.Fatalf("%s: %v", tt.q, err)
			}
			got := names(p)
			if tt.absent != "" {
				if slices.Contains(got, tt.absent) {
					t.Errorf("search %q: got %q, want no %s", tt.q, got, tt.absent)
				}
			} else if !slices.Equal(got, tt.want) {
				t.Errorf("search %q: got %q, want %q", tt.q, got, tt.want)
			}
			if tt.absent == "" && p.Widened != tt.wide {
				t.Errorf("search %q: widened %v, want %v", tt.q, p.Widened, tt.wide)
			}
			if p.Total != len(got) {
				t.Errorf("search %q: total %d, %d hits", tt.q, p.Total, len(got))
			}
		}
	})
}

// TestSearchWidenedSorted: a widened query finds the same entries whatever
// the order asked for. Before, only the relevance order widened: 户口本
// found 2 entries by relevance and none by name or by update time.
func TestSearchWidenedSorted(t *testing.T) {
	eachDemo(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorUser, ID: "reader", Name: "reader"}}
		for _, text := range []string{"户口本", "户籍证明", "食品许可证", "不动产证明"} {
			rel, err := catalog.Search(ctx, db.Read(), by, catalog.Query{Text: text, Facets: true})
			if err != nil || !rel.Widened || rel.Total == 0 {
				t.Fatalf("%s by relevance: %q widened %v, %v", text, names(rel), rel.Widened, err)
			}
			want := slices.Sorted(slices.Values(names(rel)))
			for _, s := range []catalog.Sort{catalog.ByName, catalog.ByUpdated} {
				// in pages of one, as the cursor carries the widening
				var got []string
				q := catalog.Query{Text: text, Sort: s, Limit: 1, Facets: true}
				for {
					p, err := catalog.Search(ctx, db.Read(), by, q)
					if err != nil {
						t.Fatalf("%s by %s: %v", text, s, err)
					}
					if !p.Widened || q.Cursor == "" && p.Total != rel.Total {
						t.Errorf("%s by %s: widened %v, total %d; want widened, %d", text, s, p.Widened, p.Total, rel.Total)
					}
					got = append(got, names(p)...)
					if p.NextCursor == "" {
						break
					}
					q.Cursor, q.Facets = p.NextCursor, false
				}
				if s == catalog.ByName && !slices.IsSorted(got) {
					t.Errorf("%s by name: %q not in name order", text, got)
				}
				if slices.Sort(got); !slices.Equal(got, want) {
					t.Errorf("%s by %s: got %q, want %q", text, s, got, want)
				}
			}
		}
	})
}
