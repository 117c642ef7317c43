package catalog_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// corpus publishes a small catalog for search tests and returns the
// entries by name.
func corpus(t *testing.T, w *world) map[string]catalog.Entry {
	t.Helper()
	out := map[string]catalog.Entry{}
	add := func(by catalog.Actor, name, abstract string, items ...string) {
		r := household()
		r.Name, r.Abstract, r.SubjectKind = name, abstract, catalog.NoSubject
		r.Items = nil
		for _, it := range items {
			r.Items = append(r.Items, catalog.Item{Name: it, Type: "C", Length: 20})
		}
		out[name] = publish(t, w, by, r)
	}
	add(w.gaj, "户籍人口基本信息", "辖区户籍人口的身份信息", "姓名", "性别")
	add(w.gaj, "户籍", "户口登记", "姓名")
	add(w.gaj, "人口迁移记录", "迁入迁出的户籍变动", "迁移日期")
	add(w.rsj, "社会保险参保信息", "参保人员的险种和状态", "身份证号", "户籍地址")
	add(w.gaj, "居民身份证信息", "身份证签发和有效期", "签发机关")
	r := household()
	r.Name, r.ShareType, r.ShareMethods, r.ShareScope = "户籍档案", catalog.NotShared, nil, ""
	r.LegalBasis = "《中华人民共和国档案法》第二十八条"
	out["户籍档案"] = publish(t, w, w.gaj, r)
	return out
}

func names(p catalog.Page) []string {
	var out []string
	for _, s := range p.Items {
		out = append(out, s.Name)
	}
	return out
}

func TestSearchRelevance(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		corpus(t, w)
		tests := []struct {
			q    string
			want string
		}{
			// exact name, name contains (shorter first), abstract, items
			{"户籍", "户籍 户籍档案 户籍人口基本信息 人口迁移记录 社会保险参保信息"},
			// one character: names and abstracts only, not the item 身份证号
			{"证", "居民身份证信息"},
			{"籍", "户籍 户籍档案 户籍人口基本信息 人口迁移记录"}, // not 社会保险参保信息 by its item 户籍地址
			{"身份证", "居民身份证信息 社会保险参保信息"},
			{"户籍人口", "户籍人口基本信息 户籍档案"}, // the second by its abstract
			// abbreviations: a name through one ranks after names containing the query
			{"社保", "社会保险参保信息"},
			{"户口", "户籍 户籍档案 户籍人口基本信息 人口迁移记录 社会保险参保信息"},
			{"ＨＵ籍", ""},
			{"籍户", ""},
		}
		for _, tt := range tests {
			p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: tt.q})
			if err != nil {
				t.Fatalf("%s: %v", tt.q, err)
			}
			if got := strings.Join(names(p), " "); got != tt.want {
				t.Errorf("search %q: got %q, want %q", tt.q, got, tt.want)
			}
		}
	})
}

// TestSearchCitizenQueries searches a catalog of real entry names
// (catalog.csv) as citizens do: with words that carry nothing for a catalog
// (查询, 我的, 办理, 信息) and with words the entry spells otherwise, whose
// bigrams it holds only in part. Each query finds its entry first.
func TestSearchCitizenQueries(t *testing.T) {
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
		add(w.scj, "营业执照信息", "市场主体登记注册的营业执照", "统一社会信用代码", "企业名称", "法定代表人")
		add(w.scj, "企业基本信息", "辖区企业的登记事项", "统一社会信用代码", "企业名称", "注册资本")
		add(w.scj, "企业年度报告信息", "企业年报公示", "统一社会信用代码", "报告年度")
		add(w.scj, "个体工商户信息", "个体工商户登记信息", "经营者姓名", "经营场所")
		add(w.scj, "食品经营许可信息", "食品经营许可证的发放和注销", "许可证编号", "经营者名称")
		add(w.scj, "药品经营许可信息", "药品经营许可证的发放", "许可证编号")
		add(w.rsj, "社会保险参保信息", "参保人员的险种和状态", "公民身份号码", "参保险种")
		add(w.rsj, "就业登记信息", "劳动者就业和失业登记", "公民身份号码")
		add(w.gaj, "无犯罪记录证明信息", "开具的无犯罪记录证明", "公民身份号码", "证明编号")
		add(w.gaj, "户籍人口基本信息", "辖区户籍人口的身份信息", "姓名", "公民身份号码", "户籍地址")
		add(w.gaj, "居民身份证信息", "身份证签发和有效期", "签发机关")
		add(w.gaj, "机动车驾驶证信息", "驾驶证核发", "准驾车型")
		add(w.gaj, "不动产登记信息", "不动产权利的首次、变更和注销登记", "不动产单元号", "权利人")
		tests := []struct{ q, first string }{
			{"营业执照查询", "营业执照信息"},
			{"社保查询", "社会保险参保信息"},
			{"我的社保", "社会保险参保信息"},
			{"企业信息", "企业基本信息"},
			{"如何办理营业执照", "营业执照信息"},
			{"食品许可证", "食品经营许可信息"},
			{"无犯罪证明", "无犯罪记录证明信息"},
			{"不动产证明", "不动产登记信息"},
			{"户口本", "户籍人口基本信息"},
			// as before
			{"营业执照", "营业执照信息"},
			{"营业执照信息", "营业执照信息"},
		}
		for _, tt := range tests {
			p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: tt.q, Facets: true})
			if err != nil {
				t.Fatalf("%s: %v", tt.q, err)
			}
			if len(p.Items) == 0 || p.Items[0].Name != tt.first {
				t.Errorf("search %q: got %q, want %s first", tt.q, names(p), tt.first)
			}
			if p.Total < len(p.Items) {
				t.Errorf("search %q: total %d, %d items", tt.q, p.Total, len(p.Items))
			}
		}
		// A query of stop words only is searched as it is.
		if p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: "信息", Count: true}); err != nil || p.Total != 13 {
			t.Errorf("search 信息: %d hits, %v; want all 13", p.Total, err)
		}
		// A query nothing holds whole is widened only for bigrams: not
		// hu籍 to 籍, nor 身份证 (found whole) to entries with 身份.
		for q, want := range map[string]string{"hu籍": "", "身份证": "居民身份证信息"} {
			p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: q})
			if got := strings.Join(names(p), " "); err != nil || got != want {
				t.Errorf("search %q: got %q, %v; want %q", q, got, err, want)
			}
		}
		// The widened match reads names and abstracts only: half a query's
		// bigrams among an entry's items (准驾车型 of 机动车驾驶证信息 for
		// 准驾车型号) is noise, and common bigrams' item postings made the
		// widened search slow.
		if p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: "准驾车型号"}); err != nil || len(p.Items) != 0 {
			t.Errorf("search 准驾车型号: got %q, %v; want none", names(p), err)
		}
		// The widened match pages as one order: 食品药品许可证 (distinctive
		// 食品, 品药, 药品, of which no entry holds 品药) finds
		// 食品经营许可信息 and 药品经营许可信息, the same in pages of one as
		// in one page. (食品经营证照 found both before: 品经 and 经营 of
		// 药品经营许可信息; 经营 and 证照 are common words now, see
		// TestSearchWidenedByRarity.) 药品经营许可信息 holds only 许可 of
		// 食品许可证's distinctive 食品 and generic 品许, 许可, 可证: a
		// generic bigram makes no widened match.
		one, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: "食品药品许可证"})
		if err != nil {
			t.Fatal(err)
		}
		if got := names(one); len(got) != 2 || !slices.Contains(got, "食品经营许可信息") || !slices.Contains(got, "药品经营许可信息") {
			t.Errorf("食品药品许可证: %q", got)
		}
		var all []string
		q := catalog.Query{Text: "食品药品许可证", Limit: 1, Count: true}
		for {
			p, err := catalog.Search(ctx, db.Read(), w.scj, q)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, names(p)...)
			if p.NextCursor == "" {
				if p.Total != len(all) && q.Cursor == "" {
					t.Errorf("total %d, %d hits", p.Total, len(all))
				}
				break
			}
			q.Cursor, q.Count = p.NextCursor, false
		}
		if !slices.Equal(all, names(one)) {
			t.Errorf("食品药品许可证 in pages of one: %q, in one page %q", all, names(one))
		}
		if p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: "食品许可证"}); err != nil || strings.Join(names(p), " ") != "食品经营许可信息" {
			t.Errorf("search 食品许可证: got %q, %v; want 食品经营许可信息 alone", names(p), err)
		}
	})
}

// TestSearchIncomeTaxAbbreviated: 个税 is what people call 个人所得税, as 社保
// 社会保险 (abbreviations): it finds the entries spelling it out, and its
// bigrams joined to the words beside it (个税纳税) find them too; 企业所得税
// is no 个税.
// TestSearchMaterialNames searches with the names of materials applicants
// are asked for (居民户口簿 of the adoption registration's materials in
// service_items.csv). Of their bigrams only some are held by any entry
// (民户 and 口簿 of 居民户口簿 by none), often not half of them, so the
// widened match counts only those some published or retired entry holds
// in its name or abstract: a draft's do not count, whoever searches. Of
// the hits holding as many, those holding the rarest come first: 户籍 of
// 户籍证明 before 证明, which every certificate's name holds, shorter
// names (完税证明信息) though they have.
func TestSearchMaterialNames(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		add := func(name, abstract string) {
			r := household()
			r.Name, r.Abstract = name, abstract
			publish(t, w, w.gaj, r)
		}
		add("户籍人口基本信息", "辖区户籍人口的户口登记事项")
		add("居民身份证信息", "居民身份证的签发")
		add("婚姻登记信息", "结婚和离婚登记")
		add("无犯罪记录证明信息", "开具的无犯罪记录证明")
		add("机动车驾驶证信息", "驾驶证核发")
		add("完税证明信息", "开具的完税证明")
		add("出生医学证明信息", "签发的出生医学证明")
		draft := household()
		draft.Name, draft.Abstract = "居民户口簿样式", "户口簿的式样"
		create(t, w, w.rsj, draft)
		for q, want := range map[string]string{
			"居民户口簿":  "户籍人口基本信息",
			"户籍证明":   "户籍人口基本信息",
			"婚姻状况证明": "婚姻登记信息",
		} {
			for _, by := range []catalog.Actor{w.scj, w.rsj} {
				p, err := catalog.Search(ctx, db.Read(), by, catalog.Query{Text: q, Count: true})
				if err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				if !slices.Contains(names(p), want) {
					t.Errorf("search %q by department %d: got %q, want %s among them", q, by.DepartmentID, names(p), want)
				}
				if strings.HasSuffix(q, "证明") && names(p)[0] != want {
					t.Errorf("search %q by department %d: got %q, want %s first", q, by.DepartmentID, names(p), want)
				}
				if p.Total != len(p.Items) {
					t.Errorf("search %q: total %d, %d hits", q, p.Total, len(p.Items))
				}
			}
		}
		// Nothing holds a bigram of 火星车 (火星, 星车), and one of three
		// bigrams is no share of the query: 证明 alone of 火星证明 (火星,
		// 星证, 证明) would find every certificate. Nothing is found. Nor
		// for 常住人口登记卡, of whose distinctive 常住, 住人, 人口 entries
		// hold 人口 alone: not more than half of it is in the catalog (as
		// 普通 of 普通护照), where it found 户籍人口基本信息 by 人口.
		for _, q := range []string{"火星车", "火星证明", "常住人口登记卡"} {
			if p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: q}); err != nil || len(p.Items) != 0 {
				t.Errorf("search %s: got %q, %v; want none", q, names(p), err)
			}
		}
	})
}

func TestSearchIncomeTaxAbbreviated(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		add := func(name, abstract string, items ...string) {
			r := household()
			r.Name, r.Abstract, r.SubjectKind = name, abstract, catalog.NoSubject
			r.Items = nil
			for _, it := range items {
				r.Items = append(r.Items, catalog.Item{Name: it, Type: "C", Length: 20})
			}
			publish(t, w, w.rsj, r)
		}
		add("个人所得税纳税记录", "个人所得税综合所得年度汇算及纳税记录", "公民身份号码", "已缴税额")
		add("企业所得税申报信息", "企业所得税季度预缴申报", "统一社会信用代码")
		add("个人收入证明", "工资薪金收入", "个人所得税扣缴额")
		for q, want := range map[string]string{
			"个税":   "个人所得税纳税记录 个人收入证明", // name, then item
			"个税纳税": "个人所得税纳税记录",
			"个税记录": "个人所得税纳税记录",
		} {
			p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: q})
			if got := strings.Join(names(p), " "); err != nil || got != want {
				t.Errorf("search %q: got %q, %v; want %q", q, got, err, want)
			}
		}
	})
}

func TestSearchFacetsFiltersAndPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		corpus(t, w)
		draft := household()
		draft.Name = "户籍草稿"
		create(t, w, w.rsj, draft)

		p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: "户籍", Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 5 {
			t.Errorf("total %d, want 5 (the draft is not published)", p.Total)
		}
		counts := func(facet string) map[string]int {
			m := map[string]int{}
			for _, f := range p.Facets[facet] {
				m[f.Value+" "+f.Label] = f.Count
			}
			return m
		}
		if d := counts("department_id"); len(d) != 2 {
			t.Errorf("department facet %v", d)
		}
		if s := counts("share_type"); s["unconditional 无条件共享"] != 4 || s["none 不予共享"] != 1 {
			t.Errorf("share type facet %v", s)
		}
		if m := counts("share_methods"); m["query 信息查询接口"] != 4 || m["batch 批量库表交换"] != 0 {
			t.Errorf("share method facet %v", m)
		}
		if l := counts("security_level"); l["3 3级"] != 5 {
			t.Errorf("security level facet %v", l)
		}

		p, _ = catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: "户籍", DepartmentID: w.rsjID})
		if got := strings.Join(names(p), " "); got != "社会保险参保信息" {
			t.Errorf("filtered by department: %q", got)
		}
		p, _ = catalog.Search(ctx, db.Read(), w.scj, catalog.Query{ShareType: catalog.NotShared})
		if got := strings.Join(names(p), " "); got != "户籍档案" {
			t.Errorf("filtered by share type: %q", got)
		}

		// Drafts: only for their department (and the operator), on request.
		for _, tt := range []struct {
			by   catalog.Actor
			want int
		}{{w.scj, 0}, {w.rsj, 1}, {w.operator, 1}} {
			p, err := catalog.Search(ctx, db.Read(), tt.by, catalog.Query{Text: "草稿", Statuses: []catalog.Status{catalog.Draft}})
			if err != nil || len(p.Items) != tt.want {
				t.Errorf("%s sees %d drafts (%v), want %d", tt.by.Name, len(p.Items), err, tt.want)
			}
		}

		for _, sort := range []catalog.Sort{catalog.ByName, catalog.ByUpdated, catalog.ByRelevance} {
			all, _ := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Sort: sort, Limit: 100})
			var paged []string
			q := catalog.Query{Sort: sort, Limit: 2}
			for i := 0; i < 10; i++ {
				p, err := catalog.Search(ctx, db.Read(), w.scj, q)
				if err != nil {
					t.Fatal(err)
				}
				paged = append(paged, names(p)...)
				if p.NextCursor == "" {
					break
				}
				q.Cursor = p.NextCursor
			}
			if strings.Join(paged, " ") != strings.Join(names(all), " ") || len(paged) != 6 {
				t.Errorf("sort %s: pages %q, one page %q", sort, paged, names(all))
			}
		}
		_, err = catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Sort: catalog.ByName, Cursor: "garbage"})
		wantKind(t, "bad cursor", err, errs.Invalid)
	})
}

func TestPublicCatalog(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		es := corpus(t, w)
		p, err := catalog.Public(ctx, db.Read(), catalog.Query{Text: "户籍", Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range p.Items {
			got = append(got, e.Name)
		}
		if strings.Join(got, " ") != "户籍 户籍人口基本信息 人口迁移记录 社会保险参保信息" {
			t.Errorf("public search: %q (not-shared entries must be left out)", got)
		}
		if _, ok := p.Facets["security_level"]; ok {
			t.Error("public facets show security levels")
		}
		e, err := catalog.PublicByCode(ctx, db.Read(), es["户籍人口基本信息"].Code)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(e)
		for _, hidden := range []string{"security_level", "network_zone", "share_scope", "share_conditions", "legal_basis", "egov_extranet"} {
			if strings.Contains(string(b), hidden) {
				t.Errorf("public entry shows %s: %s", hidden, b)
			}
		}
		if e.ShareType != "无条件共享" || e.Provider != "佛山市公安局南海分局" || e.Items[0].Type != "字符型" {
			t.Errorf("public entry %s", b)
		}
		_, err = catalog.PublicByCode(ctx, db.Read(), es["户籍档案"].Code)
		wantKind(t, "public not-shared entry", err, errs.NotFound)
	})
}

// hanRun returns n distinct Han characters.
func hanRun(n int) string {
	var sb strings.Builder
	for i := range n {
		sb.WriteRune(rune(0x4e00 + i))
	}
	return sb.String()
}

func TestSearchQueryTooLong(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		corpus(t, w)
		var words strings.Builder
		for i := range 40000 {
			fmt.Fprintf(&words, "w%d ", i)
		}
		for _, q := range []string{hanRun(2100), words.String(), hanRun(catalog.MaxQueryChars + 1)} {
			_, err := catalog.Public(ctx, db.Read(), catalog.Query{Text: q, Facets: true})
			if e := errs.As(err); e == nil || e.Code != "query_too_long" || e.Field != "q" {
				t.Errorf("public search of %d characters: got %v, want query_too_long", len([]rune(q)), err)
			}
			_, err = catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: q, Sort: catalog.ByName})
			wantKind(t, "operator search of a long text", err, errs.Invalid)
		}
		// The longest query allowed still runs, on every path; white space
		// runs count as one character.
		for _, q := range []string{hanRun(catalog.MaxQueryChars), "户籍  " + strings.Repeat("x ", catalog.MaxQueryChars/2-3) + "户"} {
			for _, sort := range []catalog.Sort{catalog.ByRelevance, catalog.ByName} {
				if _, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: q, Sort: sort, Facets: true}); err != nil {
					t.Errorf("search of %d characters, sort %s: %v", len([]rune(q)), sort, err)
				}
			}
			if _, err := catalog.Public(ctx, db.Read(), catalog.Query{Text: q}); err != nil {
				t.Errorf("public search of %d characters: %v", len([]rune(q)), err)
			}
		}
	})
}

// TestRevisionsInQueues: a revision of a published entry is found by the
// state of the revision as well as by the entry's: compiled, in its
// department's drafts; submitted, in the review queue (Statuses
// Submitted) of the reviewers and of its department; sent back, in the
// department's drafts and rejected list; approved, in neither. The entry
// stays in the published view throughout (it is in force), once in a view
// of several states. Other departments do not find it in these states.
// Browsing and text queries, totals and facets, on both engines.
func TestRevisionsInQueues(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		find := func(stage string, by catalog.Actor, want bool, sts ...catalog.Status) {
			t.Helper()
			n := 0
			if want {
				n = 1
			}
			for _, text := range []string{"", "户籍", "户籍人口"} {
				for _, facets := range []bool{true, false} {
					p, err := catalog.Search(ctx, db.Read(), by, catalog.Query{Text: text, Statuses: sts, Facets: facets, Count: !facets})
					if err != nil {
						t.Fatalf("%s: %v", stage, err)
					}
					if len(p.Items) != n || p.Total != n || n == 1 && p.Items[0].ID != e.ID {
						t.Errorf("%s, %v by department %d, %q (facets %v): %v total %d, want %d", stage, sts, by.DepartmentID,
							text, facets, names(p), p.Total, n)
					}
					if !facets {
						continue
					}
					var depts []catalog.FacetCount
					if want {
						depts = []catalog.FacetCount{{Value: fmt.Sprint(w.gajID), Label: "佛山市公安局南海分局", Count: 1}}
					}
					if got := p.Facets["department_id"]; len(got) != len(depts) || len(got) == 1 && got[0] != depts[0] {
						t.Errorf("%s, %v, %q: department facet %v, want %v", stage, sts, text, got, depts)
					}
				}
			}
		}
		// The hit tells its department and the reviewers the revision's
		// state; other departments see the entry in force alone.
		mark := func(stage string, by catalog.Actor, want catalog.Status, sts ...catalog.Status) {
			t.Helper()
			for _, text := range []string{"", "户籍", "户籍人口"} {
				p, err := catalog.Search(ctx, db.Read(), by, catalog.Query{Text: text, Statuses: sts})
				if err != nil || len(p.Items) != 1 || p.Items[0].RevisionStatus != want {
					t.Errorf("%s, %v by department %d, %q: %+v %v, want revision status %q", stage, sts, by.DepartmentID,
						text, p.Items, err, want)
				}
			}
		}
		mark("published", w.gaj, "")
		revised := household()
		revised.Abstract += "，含迁入迁出记录"
		mustStep(t, w, "revise", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, revised, t0)
		})
		find("draft revision", w.gaj, true, catalog.Draft, catalog.Rejected)
		find("draft revision", w.operator, false, catalog.Submitted)
		find("draft revision", w.rsj, false, catalog.Draft)
		mark("draft revision", w.gaj, catalog.Draft, catalog.Draft)
		mark("draft revision", w.operator, catalog.Draft)
		mark("draft revision", w.rsj, "")

		mustStep(t, w, "submit revision", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
		})
		find("submitted revision", w.operator, true, catalog.Submitted)
		find("submitted revision", w.gaj, true, catalog.Submitted)
		find("submitted revision", w.rsj, false, catalog.Submitted)
		find("submitted revision", w.operator, true)
		find("submitted revision", w.rsj, true, catalog.Published)
		find("submitted revision", w.operator, true, catalog.Published, catalog.Submitted)
		find("submitted revision", w.gaj, false, catalog.Draft, catalog.Rejected)
		mark("submitted revision", w.operator, catalog.Submitted, catalog.Submitted)
		mark("submitted revision", w.gaj, catalog.Submitted)
		mark("submitted revision", w.rsj, "", catalog.Published)

		mustStep(t, w, "reject revision", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Reject(ctx, tx, w.operator, e.ID, "摘要须写明变动类型", t0)
		})
		find("rejected revision", w.operator, false, catalog.Submitted)
		find("rejected revision", w.gaj, true, catalog.Draft, catalog.Rejected)
		find("rejected revision", w.operator, true, catalog.Rejected)
		find("rejected revision", w.rsj, false, catalog.Rejected)
		find("rejected revision", w.operator, true)
		mark("rejected revision", w.gaj, catalog.Rejected, catalog.Rejected)

		mustStep(t, w, "submit again", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
		})
		mustStep(t, w, "approve revision", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, e.ID, t0)
		})
		find("approved revision", w.operator, false, catalog.Submitted)
		find("approved revision", w.gaj, false, catalog.Draft, catalog.Rejected, catalog.Submitted)
		find("approved revision", w.rsj, true)
		mark("approved revision", w.operator, "")
	})
}

// TestSearchSortRefusedInWords: a sort order that is none of the three is
// refused naming each with its Chinese word, which the console shows as
// it is (排序方式应为 relevance、name 或 updated told its users nothing).
func TestSearchSortRefusedInWords(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		_, err := catalog.Search(context.Background(), db.Read(), w.scj, catalog.Query{Text: "户籍", Sort: "bogus"})
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != "invalid_sort" || e.Field != "sort" ||
			!strings.Contains(e.Message, "relevance（相关度）、name（名称）或 updated（更新时间）") {
			t.Errorf("sort bogus: %v, want invalid_sort naming each order in words", err)
		}
	})
}
