package catalog_test

import (
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSearchWidenedKeepsWords widens queries holding 或, 和 or 及 inside a
// word (普及, 和解, 共和国, 涉及). Before, the query was split there into
// alternatives: 普及率证明 and 共和国证书 found nothing, 和解协议书 every
// entry holding 协议, and 涉及企业名单证明 listed 企业名单信息 first.
func TestSearchWidenedKeepsWords(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newWorld(t, db)
		for _, name := range []string{"互联网普及率统计信息", "人民调解和解协议信息", "国有土地出让协议信息",
			"共和国勋章颁授信息", "涉及失信企业名单信息", "企业名单信息", "中华人民共和国普通护照签发信息"} {
			r := household()
			r.Name, r.Abstract, r.SubjectKind = name, name, catalog.NoSubject
			r.Items = []catalog.Item{{Name: "编号", Type: "C", Length: 20}}
			publish(t, w, w.scj, r)
		}
		for _, tt := range []struct {
			q    string
			want []string // the first hits, or all with all
			all  bool
		}{
			{"普及率证明", []string{"互联网普及率统计信息"}, true},
			{"和解协议书", []string{"人民调解和解协议信息"}, true},
			{"共和国证书", []string{"共和国勋章颁授信息"}, false},
			{"涉及企业名单证明", []string{"涉及失信企业名单信息", "企业名单信息"}, true},
			{"中华人民共和国护照", []string{"中华人民共和国普通护照签发信息"}, false},
		} {
			p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: tt.q, Facets: true})
			if err != nil {
				t.Fatalf("%s: %v", tt.q, err)
			}
			got := names(p)
			if tt.all && !slices.Equal(got, tt.want) || !tt.all && (len(got) < len(tt.want) || !slices.Equal(got[:len(tt.want)], tt.want)) {
				t.Errorf("search %q: got %q, want %q (all %v)", tt.q, got, tt.want, tt.all)
			}
			if !p.Widened || p.Total != len(got) {
				t.Errorf("search %q: widened %v, total %d, %d hits", tt.q, p.Widened, p.Total, len(got))
			}
		}
	})
}
