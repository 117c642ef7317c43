package catalog_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSearchSynonyms searches by the words clerks type for data items and
// subjects entries name otherwise, which the item-key table (ItemKey) knows
// as one: 身份证号码, 居民身份证号码 and 身份证号 for 公民身份号码, 出生年月日
// for 出生日期, and the search-only 个体户 (个体工商户) and 低保户 (最低生活
// 保障). Before, each found nothing (or, 身份证号, only the entry spelling
// it so): its bigrams 份证, 证号, 生年, 体户, 保户 are in none of the
// entries. Each finds the entries holding a form of its group, the entries
// as written first (exact name, then names containing the query).
func TestSearchSynonyms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		add := func(by catalog.Actor, name, abstract string, items ...string) {
			r := household()
			r.Name, r.Abstract, r.SubjectKind = name, abstract, catalog.NoSubject
			r.Items = nil
			for _, it := range items {
				r.Items = append(r.Items, catalog.Item{Name: it, Type: "C", Length: 20})
			}
			publish(t, w, by, r)
		}
		add(w.gaj, "户籍人口基本信息", "辖区户籍人口的身份和户籍地址", "公民身份号码", "出生日期", "户籍地址")
		add(w.gaj, "居民身份证信息", "居民身份证签发、换领及有效期信息", "公民身份号码", "签发机关")
		add(w.rsj, "残疾人证信息", "第二代残疾人证核发", "身份证号", "残疾人证号")
		add(w.rsj, "出生医学证明信息", "出生医学证明签发", "新生儿姓名", "出生年月日")
		add(w.scj, "营业执照信息", "营业执照的核发信息", "统一社会信用代码", "个体工商户名称")
		add(w.scj, "个体工商户登记信息", "个体工商户的设立、变更和注销登记", "经营者姓名")
		add(w.scj, "个体户经营异常名录", "列入经营异常名录的个体户", "名录编号")
		add(w.scj, "个体户", "个体户名册", "名册编号")
		add(w.rsj, "最低生活保障对象信息", "城乡低保对象及保障金发放情况", "保障类别")
		add(w.rsj, "社会救助家庭信息", "困难家庭救助情况", "最低生活保障标准")
		add(w.rsj, "降低保费政策信息", "社会保险降低保费政策", "政策编号")
		search := func(q string, sort catalog.Sort) []string {
			t.Helper()
			p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: q, Sort: sort, Facets: true})
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if p.Total != len(p.Items) || p.Widened {
				t.Errorf("search %q: total %d, %d hits, widened %v", q, p.Total, len(p.Items), p.Widened)
			}
			return names(p)
		}
		for _, tt := range []struct{ q, want string }{
			{"身份证号码", "残疾人证信息 居民身份证信息 户籍人口基本信息"},
			{"居民身份证号码", "残疾人证信息 居民身份证信息 户籍人口基本信息"},
			{"身份证号码查询", "残疾人证信息 居民身份证信息 户籍人口基本信息"},
			{"身份证号", "残疾人证信息 居民身份证信息 户籍人口基本信息"},
			{"公民身份号码", "残疾人证信息 居民身份证信息 户籍人口基本信息"},
			{"出生年月日", "出生医学证明信息 户籍人口基本信息"},
			{"出生日期", "出生医学证明信息 户籍人口基本信息"},
			// the name as written first: exact, containing the query, then
			// holding 个体工商户, then the item
			{"个体户", "个体户 个体户经营异常名录 个体工商户登记信息 营业执照信息"},
			{"个体工商户", "个体工商户登记信息 个体户 个体户经营异常名录 营业执照信息"},
			// the name (低保 through the abbreviation), the abstract, the item
			{"低保户", "最低生活保障对象信息 社会救助家庭信息"},
			// as before: not a synonym
			{"身份证", "居民身份证信息 残疾人证信息"},
			{"低保", "降低保费政策信息 最低生活保障对象信息 社会救助家庭信息"},
		} {
			got := search(tt.q, catalog.ByRelevance)
			if strings.Join(got, " ") != tt.want {
				t.Errorf("search %q: got %q, want %s", tt.q, got, tt.want)
			}
			// the same hits in the other orders (by name from SQL)
			want := strings.Fields(tt.want)
			slices.Sort(want)
			for _, s := range []catalog.Sort{catalog.ByName, catalog.ByUpdated} {
				got := search(tt.q, s)
				if slices.Sort(got); !slices.Equal(got, want) {
					t.Errorf("search %q by %s: got %q, want %q", tt.q, s, got, want)
				}
			}
		}
	})
}
