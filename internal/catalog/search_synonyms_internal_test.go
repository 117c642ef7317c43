package catalog

import (
	"context"
	"reflect"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestSynonymSets checks the token sets a query is matched by: each form
// of synonymGroups it holds, anywhere, longest first, replaced by each
// other form of its group, without a set holding another.
func TestSynonymSets(t *testing.T) {
	for q, want := range map[string][][]string{
		"身份证号码": {{"公民", "民身", "身份", "份号", "号码"}, {"身份", "份证", "证号"}},
		// 居民身份证号码 holds 身份证号's bigrams
		"居民身份证号码": {{"公民", "民身", "身份", "份号", "号码"}, {"身份", "份证", "证号"}},
		// 出生年月 is a form too, whose set 出生年月日's holds
		"出生年月日": {{"出生", "生年", "年月"}, {"出生", "生日", "日期"}},
		"出生年月":  {{"出生", "生年", "年月"}, {"出生", "生日", "日期"}},
		// 户籍地 is found inside other words (narrowerForms): not put in the
		// place of a query's form, so 户籍地址 does not find 非户籍地流动人员
		"户籍地址":  {{"户籍", "籍地", "地址"}, {"户籍", "籍所", "所在", "在地"}, {"户籍", "籍住", "住址"}},
		"户籍地":   {{"户籍", "籍地"}, {"户籍", "籍所", "所在", "在地"}, {"户籍", "籍住", "住址"}},
		"婚姻状态":  {{"婚姻", "姻状", "状态"}, {"婚姻", "姻状", "状况"}},
		"ＡＢ个体户": {{"个体", "体户", "ab"}, {"个体", "体工", "工商", "商户", "ab"}},
		"个体户 低保户": {{"个体", "体户", "低保", "保户"}, {"个体", "体户", "最低", "低生", "生活", "活保", "保障"},
			{"个体", "体工", "工商", "商户", "低保", "保户"}, {"个体", "体工", "工商", "商户", "最低", "低生", "生活", "活保", "保障"}},
		// one form, not 信用代码 inside it; its set holds 信用代码's
		"统一社会信用代码": {{"信用", "用代", "代码"}},
		"身份证":      nil,
		"营业执照":     nil,
		"户籍":       nil,
	} {
		if got := synonymSets(q); !reflect.DeepEqual(got, want) {
			t.Errorf("synonymSets(%s): got %q, want %q", q, got, want)
		}
	}
}

// TestSynonymSearchMatchesSQL compares the fast path with the SQL one for
// queries holding synonyms on a generated catalog, whose entries hold
// 公民身份号码, 姓名, 出生日期 …: same hits, order, pages, totals, facets.
func TestSynonymSearchMatchesSQL(t *testing.T) {
	eachCatalog(t, 1500, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = 'retired' WHERE id % 7 = 0`); err != nil {
			t.Fatal(err)
		}
		reader := Actor{Actor: audit.Actor{DepartmentID: 3}}
		operator := Actor{Operator: true}
		texts := []string{"身份证号码", "居民身份证号码", "出生年月日", "名字", "姓名", "法人代表", "个体户", "低保户",
			"最低生活保障", "身份证号 名字", "社会信用代码"}
		queries := []Query{{}, {ShareType: Conditional}, {Statuses: []Status{Published, Retired}}, {Sort: ByUpdated}, {Sort: ByName}}
		// Each text meets the unfiltered query and every other filter,
		// turning with the text, so that each filter meets half the texts:
		// the branches of the fast path and of the SQL one the whole cross
		// product reached (measured with -coverprofile), in three fifths
		// of the searches.
		for i, text := range texts {
			found := false
			for j, base := range queries {
				if j > 0 && (i+j)%2 != 0 {
					continue
				}
				for _, by := range []Actor{reader, operator} {
					q := base
					q.Text, q.Facets, q.Limit = text, true, 7
					if q.Sort == "" {
						q.Sort = ByRelevance
					}
					for range 3 {
						cur, _ := decodeCursor(q.Cursor, q.Sort)
						fast, ok, err := fastSearch(ctx, db.Read(), by, q, cur)
						if err != nil || !ok {
							t.Fatalf("%q %+v: fast path ok %v, %v", text, q, ok, err)
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
						found = found || fast.Total > 0
						if fast.NextCursor == "" {
							break
						}
						q.Cursor = fast.NextCursor
					}
				}
			}
			if !found && text != "个体户" && text != "低保户" {
				t.Errorf("%q found nothing", text)
			}
		}
	})
}

// FuzzSynonymSets: variants keeps the text as written first and at most
// maxVariants texts, and an entry named as the query holds every token of
// one of its synonym sets, so that synonyms never lose what the query
// found as written.
func FuzzSynonymSets(f *testing.F) {
	for _, s := range []string{"身份证号码", "居民身份证号码查询", "个体户 低保户", "ＡＢ个体户", "统一社会信用代码",
		"身份证号身份证号身份证号身份证号身份证号", "名字名字名字名字名字", "法定代表人姓名", "信息"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		vs := variants(q)
		if len(vs) == 0 || len(vs) > maxVariants || vs[0] != searchFold(q) {
			t.Fatalf("variants(%q): %q", q, vs)
		}
		sets := synonymSets(q)
		if sets == nil {
			return
		}
		indexed := tokenFields(Resource{Name: q})
		for _, set := range sets {
			if len(set) == 0 {
				t.Fatalf("%q: empty set in %q", q, sets)
			}
			held := true
			for _, tok := range set {
				held = held && indexed[tok]&inName != 0
			}
			if held {
				return
			}
		}
		t.Fatalf("an entry named %q holds no synonym set of %q", q, sets)
	})
}
