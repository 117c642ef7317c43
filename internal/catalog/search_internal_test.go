package catalog

import (
	"context"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
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

// abbreviationMigrations are the migrations that index the entries again
// for abbreviations and other names, each with how many forms of the
// abbreviations table, from its start, entries are indexed by after it,
// and how many of otherNames: 0017 the first twelve abbreviations, 0025
// 个税 too, 0030 the other names. A form or name added to a table needs
// another.
var abbreviationMigrations = []struct {
	file         string
	forms, names int
	query, first string // found by the migration
}{
	{"0017_catalog_search_abbreviations.sql", 12, 0, "社保卡", "社会保险社会保障卡"},
	{"0025_catalog_search_abbreviation_individual_income_tax.sql", 13, 0, "个税", "个人所得税"},
	{"0030_catalog_search_other_names.sql", 13, 9, "失业证", "就业失业登记证号"},
}

// otherNameSQL is the text of the other name n in SQL, over the texts
// holding its form, as migration 0030 selects it.
func otherNameSQL(full, short string) string {
	return "SELECT entry_id, field, replace(t, '" + full + "', '" + short + "') FROM written WHERE t LIKE '%" + full + "%'"
}

// abbreviateSQL is abbreviate by the first forms of the table in SQL:
// nested replace() calls on col.
func abbreviateSQL(col string, forms int) string {
	for _, a := range abbreviations[:forms] {
		col = "replace(" + col + ", '" + a.full + "', '" + a.short + "')"
	}
	return col
}

// TestAbbreviationsInMigrations checks that each migration of
// abbreviationMigrations abbreviates as abbreviate does by its forms, or
// gives the texts of the other names it adds, and packs attributes as
// attrsSQL does, and that the last covers both whole tables.
func TestAbbreviationsInMigrations(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		names := 0
		for _, m := range abbreviationMigrations {
			b, err := os.ReadFile("../sqldb/migrations/" + engine + "/" + m.file)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{attrsSQL("e")}
			if m.names == names {
				want = append(want, abbreviateSQL("t", m.forms))
			}
			for _, n := range otherNames[names:m.names] {
				want = append(want, otherNameSQL(n.full, n.short))
			}
			for _, w := range want {
				if !strings.Contains(string(b), w) {
					t.Errorf("%s migration %s does not hold %s", engine, m.file, w)
				}
			}
			if m.names > names && strings.Count(string(b), "replace(t, ") != m.names-names {
				t.Errorf("%s migration %s replaces more than its %d other names", engine, m.file, m.names-names)
			}
			names = m.names
		}
	}
	if last := abbreviationMigrations[len(abbreviationMigrations)-1]; last.forms != len(abbreviations) || last.names != len(otherNames) {
		t.Errorf("the tables have %d forms and %d other names, migration %s indexes entries by %d and %d: a new one needs a migration",
			len(abbreviations), len(otherNames), last.file, last.forms, last.names)
	}
}

// TestRankIndexInMigrations checks that the rank index of the latest
// migration that builds it (0020) orders postings by rankClass and
// rankLength, as rankedSQL reads them.
func TestRankIndexInMigrations(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b, err := os.ReadFile("../sqldb/migrations/" + engine + "/0020_catalog_search_name_length.sql")
		if err != nil {
			t.Fatal(err)
		}
		if want := "(token, " + rankClass + ", " + rankLength + ", updated_at DESC, entry_id DESC"; !strings.Contains(string(b), want) {
			t.Errorf("%s migration 0020 does not hold %s", engine, want)
		}
	}
}

// TestAbbreviationMigration indexes entries as the release before each
// migration of abbreviationMigrations did (before abbreviations, before
// 个税), runs that migration and those after it again on them and checks
// that every entry then has exactly the postings tokenFields gives it: real
// and generated names, abstracts and item names, and texts with full forms
// at the edges, side by side, repeated, beside ASCII, punctuation and rare
// Han characters.
func TestAbbreviationMigration(t *testing.T) {
	for i, m := range abbreviationMigrations {
		t.Run(m.file[:4], func(t *testing.T) { testAbbreviationMigration(t, i) })
	}
}

func testAbbreviationMigration(t *testing.T, from int) {
	m := abbreviationMigrations[from]
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		saved, savedNames := abbreviations, otherNames
		abbreviations, otherNames = nil, nil
		if from > 0 {
			abbreviations = saved[:abbreviationMigrations[from-1].forms]
			otherNames = savedNames[:abbreviationMigrations[from-1].names]
		}
		buildCatalog(t, db, 400)
		texts := []string{"社会保险", "社会保险社会保障卡", "城乡居民社会保险和医疗保险", "GIS社会保险ab", "（社会保险）",
			"社会保险、户籍", "户籍户籍", "𠀀户籍〇", "々驾驶证", "机动车驾驶证a驾驶证", "不动产权属证书和不动产权证书",
			"最低生活保障对象", "出生医学证明", "残疾人证", "公共租赁住房", "医疗保障局", "社保缴费", "户口", "无关的名称",
			"个人所得税", "个人所得税纳税记录", "社会保险个人所得税", "个人所得税个人所得税", "a个人所得税",
			"就业失业登记证号", "不动产权证书号", "房屋所有权证", "房产证房本", "户口迁移登记", "户口簿和户籍",
			"社会保险不动产权证", "不动产权属证书、房屋所有权证", "户口户口", "x户口"}
		rng := rand.New(rand.NewPCG(5, 6))
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i, name := range texts {
				r := benchResource(rng, nil)
				r.Name = name
				r.Abstract = texts[(i+3)%len(texts)] + "的" + texts[(i+7)%len(texts)]
				r.Items = append(r.Items, Item{Name: texts[(i+5)%len(texts)], Type: "C", Length: 20})
				if i%3 == 0 {
					r.Items = nil
				}
				if _, err := PublishGenerated(ctx, tx, 1+int64(i%5), r, time.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		abbreviations, otherNames = saved, savedNames
		if err != nil {
			t.Fatal(err)
		}
		// The all-token match (slowSearch), which Search would widen
		// (社保卡 to entries holding 保卡 of 社会保障卡, wideSearch).
		p, err := slowSearch(ctx, db.Read(), Actor{Operator: true}, Query{Text: m.query, Sort: ByRelevance, Count: true, Limit: 20}, nil)
		if err != nil || p.Total != 0 || len(p.Items) != 0 {
			t.Fatalf("before the migration, %s finds %v (%v)", m.query, ids(p), err)
		}
		for _, m := range abbreviationMigrations[from:] {
			body, err := os.ReadFile("../sqldb/migrations/" + db.Dialect.String() + "/" + m.file)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := tx.ExecContext(ctx, string(body))
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		want := map[int64]map[string]int{}
		rows, err := db.Read().QueryContext(ctx, `SELECT id, data FROM catalog_entries`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			var data string
			var r Resource
			if err := rows.Scan(&id, &data); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(data), &r); err != nil {
				t.Fatal(err)
			}
			want[id] = tokenFields(r)
		}
		rows.Close()
		got := map[int64]map[string]int{}
		rows, err = db.Read().QueryContext(ctx, `SELECT entry_id, token, fields FROM catalog_search_tokens`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			var token string
			var fields int
			if err := rows.Scan(&id, &token, &fields); err != nil {
				t.Fatal(err)
			}
			if got[id] == nil {
				got[id] = map[string]int{}
			}
			got[id][token] = fields
		}
		rows.Close()
		abbreviated := 0
		for id, w := range want {
			if !reflect.DeepEqual(got[id], w) {
				t.Errorf("entry %d: migrated postings\n%v\nwant\n%v", id, got[id], w)
			}
			for _, f := range w {
				if f&nameAbbreviated != 0 {
					abbreviated++
					break
				}
			}
		}
		if abbreviated < 20 {
			t.Errorf("only %d entries hold a token through an abbreviation of their name", abbreviated)
		}
		// Postings carry the name's length since 0020, which filled it for
		// those 0017 had added.
		lengths := ""
		if m.file > "0020" {
			lengths = ` OR COUNT(DISTINCT name_len) > 1`
		}
		var mixed int
		if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT entry_id FROM catalog_search_tokens
			GROUP BY entry_id HAVING COUNT(DISTINCT attrs) > 1 OR COUNT(DISTINCT department_id) > 1
				OR COUNT(DISTINCT updated_at) > 1`+lengths+`) x`).Scan(&mixed); err != nil || mixed != 0 {
			t.Errorf("%d entries with postings of different attributes (%v)", mixed, err)
		}
		p, err = Search(ctx, db.Read(), Actor{Operator: true}, Query{Text: m.query})
		if err != nil || len(p.Items) == 0 || p.Items[0].Name != m.first {
			t.Fatalf("after the migration, %s finds %v (%v)", m.query, ids(p), err)
		}
	})
}

// TestFastSearchMatchesSQL compares the fast path with the plain SQL one on
// a generated catalog: same hits, order, pages and facet counts.
func TestFastSearchMatchesSQL(t *testing.T) {
	eachCatalog(t, 1500, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		// Some entries change state after indexing, through the triggers.
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = 'retired', updated_at = $1 WHERE id % 7 = 0`,
			time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = 'draft' WHERE id % 11 = 0`); err != nil {
			t.Fatal(err)
		}
		// Some published entries have a revision under review: found by
		// their status alone when published is among the statuses.
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET revision_state = 'submitted'
			WHERE id % 13 = 0 AND status = 'published'`); err != nil {
			t.Fatal(err)
		}
		reader := Actor{Actor: audit.Actor{DepartmentID: 3}}
		operator := Actor{Operator: true}
		var texts []string
		for _, kind := range slices.Sorted(maps.Keys(benchQueries)) {
			texts = append(texts, benchQueries[kind]...)
		}
		texts = append(texts, "", "登记 许可", "身份证", "信息", "户籍人口登记信息", "zz", "证照编号",
			// abbreviations
			"社保", "医保", "低保", "户口", "驾照", "公租房", "社保卡", "出生证", "残疾证", "不动产证", "社保缴费明细",
			"户口地址", "社保 医保", "医保局")
		queries := []Query{{}, {SharedOnly: true}, {ShareType: Conditional}, {Statuses: []Status{Published, Retired}},
			{DepartmentID: 5}, {Domain: "03", SecurityLevel: 2}, {ShareMethod: "verify"}, {Statuses: []Status{Draft, Published}},
			{Statuses: []Status{Published, Submitted}}, {Sort: ByUpdated}, {Sort: ByName}, {OpenAttribute: "open", UpdateFrequency: "daily"}}
		// Each text meets the unfiltered query and every fourth filter,
		// turning with the text, so that each filter meets texts of every
		// kind (one character, two, long, abbreviations, none found) and
		// each text two or three filters; the empty text meets every
		// filter, which alone decide whether browse serves it. These reach
		// the branches of the fast path and of the SQL one the whole cross
		// product reached (measured with -coverprofile), in a third of the
		// searches.
		for i, text := range texts {
			for j, base := range queries {
				if text != "" && j > 0 && (i+j)%4 != 0 {
					continue
				}
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

// TestWideSearchMatchesSQL compares the widened match on the fast path
// (fastWide) with the same in SQL on a generated catalog with entries
// written to meet every rank: those holding every token (ranks 0–4), names
// and abstracts holding a share of them, item names holding them (left
// out): same hits, order, pages, totals and facet counts.
func TestWideSearchMatchesSQL(t *testing.T) {
	eachCatalog(t, 1500, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		names := []string{"食品经营许可信息", "食品许可证", "食品", "许可证明", "无犯罪记录证明信息", "无犯罪证明",
			"户籍人口基本信息", "户口本", "婚姻登记证明", "不动产证明材料", "证明"}
		rng := rand.New(rand.NewPCG(7, 8))
		start := time.Now().Add(-time.Hour)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 80 {
				r := benchResource(rng, nil)
				r.Name = names[i%len(names)]
				switch i % 4 {
				case 1:
					r.Abstract = "发放食品许可证和无犯罪证明"
				case 2:
					r.Items = append(r.Items, Item{Name: "食品许可证号", Type: "C", Length: 20}, Item{Name: "户口本页码", Type: "C", Length: 20})
				}
				code, err := nextCode(ctx, tx, r.Classification.Code())
				if err != nil {
					return err
				}
				if _, err := insertEntry(ctx, tx, code, int64(1+i%5), Published, r, start.Add(time.Duration(i%13)*time.Minute)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = 'retired', updated_at = $1 WHERE id % 7 = 0`,
			time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		reader := Actor{Actor: audit.Actor{DepartmentID: 3}}
		operator := Actor{Operator: true}
		texts := append([]string{"食品许可证明", "不动产登记证明", "户籍人口证明", "社保缴费证明", "出生医学证明书", "营业 执照证明",
			"食品许可证", "无犯罪证明信息"}, benchWidened...)
		queries := []Query{{}, {SharedOnly: true}, {ShareType: Conditional}, {Statuses: []Status{Published, Retired}},
			{DepartmentID: 5}, {ShareMethod: "verify"}, {Statuses: []Status{Draft, Published}}}
		paged := 0
		for i, text := range texts {
			if !widens(queryTokens(text)) {
				t.Fatalf("%q is not widened", text)
			}
			wt, err := widen(ctx, db.Read(), text)
			if err != nil || len(wt.alts) == 0 {
				t.Fatalf("%q: held tokens %+v, %v", text, wt, err)
			}
			// Each text meets the unfiltered query and every third
			// filter, turning with the text, so that each filter meets
			// a third of the texts: the branches of fastWide and of the
			// SQL path the whole cross product reached (measured with
			// -coverprofile), in under half the searches.
			for j, base := range queries {
				if j > 0 && (i+j)%3 != 0 {
					continue
				}
				for _, by := range []Actor{reader, operator} {
					for _, limit := range []int{7, 100} {
						q := base
						q.Text, q.Facets, q.Limit, q.Sort = text, true, limit, ByRelevance
						for page := 0; ; page++ {
							cur, _ := decodeCursor(q.Cursor, q.Sort)
							fast, ok, err := fastWide(ctx, db.Read(), by, q, wt, cur)
							if err != nil || !ok {
								t.Fatalf("%q %+v: fast path ok %v, err %v", text, q, ok, err)
							}
							slow, err := sqlSearch(ctx, db.Read(), by, q, cur, wt)
							if err != nil {
								t.Fatal(err)
							}
							if !reflect.DeepEqual(ids(fast), ids(slow)) || fast.Total != slow.Total || (fast.NextCursor == "") != (slow.NextCursor == "") {
								t.Fatalf("%q %+v page %d: fast %v total %d, sql %v total %d", text, q, page, ids(fast), fast.Total, ids(slow), slow.Total)
							}
							if !reflect.DeepEqual(facetMap(fast), facetMap(slow)) {
								t.Fatalf("%q %+v: facets\nfast %v\nsql  %v", text, q, facetMap(fast), facetMap(slow))
							}
							if fast.NextCursor == "" {
								break
							}
							paged++
							q.Cursor = fast.NextCursor
						}
					}
				}
			}
		}
		if paged < 50 {
			t.Errorf("only %d later pages", paged)
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

// TestFastSearchPagesAcrossRanks walks every page of queries whose hits
// spread over all ranks — exact names, names containing the query, names
// holding its tokens apart, abstracts, item names, ASCII words — in pages
// smaller than each rank, and compares each page with the SQL path. The
// fast path reads names only as far as a page needs (resolve).
func TestFastSearchPagesAcrossRanks(t *testing.T) {
	eachCatalog(t, 300, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		names := []string{"出生医学证明", "出生医学证明信息", "出生医学证明补发记录", "医学出生证明", "出生证明与医学档案",
			"GIS出生医学证明", "出生医学证明ab", "abc出生医学证明", "户籍信息",
			"社保", "社保缴费信息", "社会保险缴费信息", "城乡居民社会保险"} // 13 names: each meets every case below
		rng := rand.New(rand.NewPCG(3, 4))
		start := time.Now().Add(-time.Hour)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 60 {
				r := benchResource(rng, nil)
				r.Name = names[i%len(names)]
				switch i % 4 {
				case 1:
					r.Abstract = "本部门出生医学证明的签发信息和社会保险缴费"
				case 2:
					r.Items = append(r.Items, Item{Name: "出生医学证明编号", Type: "C", Length: 20},
						Item{Name: "社会保险号", Type: "C", Length: 20})
				}
				code, err := nextCode(ctx, tx, r.Classification.Code())
				if err != nil {
					return err
				}
				if _, err := insertEntry(ctx, tx, code, int64(1+i%5), Published, r, start.Add(time.Duration(i%17)*time.Minute)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		reader := Actor{Actor: audit.Actor{DepartmentID: 2}}
		for _, text := range []string{"出生医学证明", "医学证明", "出生 证明", "ab 出生", "出生医学证明ab", "GIS",
			"社保", "社保缴费", "出生证"} {
			for _, sort := range []Sort{ByRelevance, ByUpdated} {
				for _, by := range []Actor{reader, {Operator: true}} {
					q := Query{Text: text, Facets: true, Limit: 2, Sort: sort}
					var walked []int64
					for page := 0; ; page++ {
						cur, _ := decodeCursor(q.Cursor, q.Sort)
						fast, ok, err := fastSearch(ctx, db.Read(), by, q, cur)
						if err != nil || !ok {
							t.Fatalf("%q: fast path ok %v, err %v", text, ok, err)
						}
						slow, err := slowSearch(ctx, db.Read(), by, q, cur)
						if err != nil {
							t.Fatal(err)
						}
						if !reflect.DeepEqual(ids(fast), ids(slow)) || fast.Total != slow.Total || (fast.NextCursor == "") != (slow.NextCursor == "") {
							t.Fatalf("%q %s page %d: fast %v total %d next %q, sql %v total %d next %q", text, sort, page,
								ids(fast), fast.Total, fast.NextCursor, ids(slow), slow.Total, slow.NextCursor)
						}
						walked = append(walked, ids(fast)...)
						if fast.NextCursor == "" {
							if len(walked) != fast.Total {
								t.Fatalf("%q %s: walked %d hits of %d", text, sort, len(walked), fast.Total)
							}
							break
						}
						q.Cursor = fast.NextCursor
					}
					if len(walked) < 5 {
						t.Fatalf("%q %s: only %d hits", text, sort, len(walked))
					}
				}
			}
		}
	})
}

// TestSearchRanksCloserNamesFirst checks that among names matching a query
// equally (containing it, or holding its tokens apart) the shorter name,
// of which the query is the larger share, comes first, newest first only
// among names as long; abstract and item matches stay newest first. Each
// query runs on the fast path and the SQL path, in one page and in pages
// of one (the cursor carries the name's length).
func TestSearchRanksCloserNamesFirst(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		depts := benchDepartments(t, db)
		// Oldest first: each is newer than those above it.
		entries := []struct{ name, abstract string }{
			{"不动产登记信息", "登记簿"},
			{"土地合同", "含不动产单元号"},
			{"房屋信息", "房产"},
			{"不动产", "登记簿"},
			{"不动产抵押登记信息", "登记簿"},
			{"全市不动产登记信息汇总", "登记簿"},
			{"建设工程规划许可证信息", "涉及不动产"},
			{"房屋租赁登记备案信息", "租赁"},
			{"不动产权籍调查", "登记簿"},
		}
		rng := rand.New(rand.NewPCG(9, 10))
		start := time.Now().Add(-time.Hour)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i, e := range entries {
				r := benchResource(rng, nil)
				r.Name, r.Abstract, r.Items = e.name, e.abstract, []Item{{Name: "编号", Type: "C", Length: 20}}
				code, err := nextCode(ctx, tx, r.Classification.Code())
				if err != nil {
					return err
				}
				if _, err := insertEntry(ctx, tx, code, depts[0], Published, r, start.Add(time.Duration(i)*time.Minute)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct{ q, want string }{
			// exact name; names containing it, shortest first; abstracts, newest first
			{"不动产", "不动产 不动产权籍调查 不动产登记信息 不动产抵押登记信息 全市不动产登记信息汇总 建设工程规划许可证信息 土地合同"},
			// one token (the ranked index): names as long are newest first
			{"房屋", "房屋信息 房屋租赁登记备案信息"},
			{"动产", "不动产 不动产权籍调查 不动产登记信息 不动产抵押登记信息 全市不动产登记信息汇总 建设工程规划许可证信息 土地合同"},
			// names holding the tokens apart, shortest first
			{"不动产 登记", "不动产登记信息 不动产抵押登记信息 全市不动产登记信息汇总 不动产权籍调查 不动产"},
		}
		name := map[int64]string{}
		for _, id := range ids(mustSearch(t, db, Query{Limit: 100})) {
			e, err := load(ctx, db.Read(), id)
			if err != nil {
				t.Fatal(err)
			}
			name[id] = e.Name
		}
		by := Actor{Operator: true}
		paths := map[string]func(Query, *cursor) (Page, error){
			"fast": func(q Query, cur *cursor) (Page, error) {
				p, ok, err := fastSearch(ctx, db.Read(), by, q, cur)
				if err == nil && !ok {
					t.Fatalf("%q: left to the SQL path", q.Text)
				}
				return p, err
			},
			"sql": func(q Query, cur *cursor) (Page, error) { return slowSearch(ctx, db.Read(), by, q, cur) },
		}
		for _, tt := range tests {
			for path, search := range paths {
				for _, limit := range []int{20, 1} {
					q := Query{Text: tt.q, Sort: ByRelevance, Limit: limit}
					var got []string
					for range len(entries) + 1 {
						cur, err := decodeCursor(q.Cursor, q.Sort)
						if err != nil {
							t.Fatal(err)
						}
						p, err := search(q, cur)
						if err != nil {
							t.Fatal(err)
						}
						for _, id := range ids(p) {
							got = append(got, name[id])
						}
						if p.NextCursor == "" {
							break
						}
						q.Cursor = p.NextCursor
					}
					if g := strings.Join(got, " "); g != tt.want {
						t.Errorf("%s path, pages of %d, %q:\ngot  %s\nwant %s", path, limit, tt.q, g, tt.want)
					}
				}
			}
		}
	})
}

func mustSearch(t *testing.T, db *sqldb.DB, q Query) Page {
	t.Helper()
	p, err := Search(context.Background(), db.Read(), Actor{Operator: true}, q)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSearchCountOnly checks that a query for the total alone (Count) gets
// the total a query for the facets gets, without the facets, on every
// path: browsing, one token's first page, the general fast path, names
// from SQL, and the SQL path alone.
func TestSearchCountOnly(t *testing.T) {
	eachCatalog(t, 300, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		reader := Actor{Actor: audit.Actor{DepartmentID: 3}}
		queries := []Query{{}, {SharedOnly: true}, {DepartmentID: 5}, {Text: "证"}, {Text: "登记"},
			{Text: "登记", Sort: ByName}, {Text: "不动产登记"}, {Text: "登记 许可", ShareType: Conditional},
			{Text: "登记", ReviewDue: true, Now: time.Now().AddDate(2, 0, 0)}, {Text: "zz"}}
		for _, base := range queries {
			for _, by := range []Actor{reader, {Operator: true}} {
				q := base
				q.Limit = 5
				if q.Sort == "" {
					q.Sort = ByRelevance // as Search sets it, for slowSearch
				}
				for page := 0; page < 2; page++ {
					q.Facets, q.Count = true, false
					want, err := Search(ctx, db.Read(), by, q)
					if err != nil {
						t.Fatal(err)
					}
					q.Facets, q.Count = false, true
					got, err := Search(ctx, db.Read(), by, q)
					if err != nil {
						t.Fatal(err)
					}
					cur, _ := decodeCursor(q.Cursor, q.Sort)
					sql, err := slowSearch(ctx, db.Read(), by, q, cur)
					if err != nil {
						t.Fatal(err)
					}
					if got.Total != want.Total || sql.Total != want.Total || got.Facets != nil || sql.Facets != nil ||
						!reflect.DeepEqual(ids(got), ids(want)) {
						t.Fatalf("%+v: count only %v total %d (SQL %d) facets %v, with facets %v total %d",
							q, ids(got), got.Total, sql.Total, got.Facets, ids(want), want.Total)
					}
					if want.NextCursor == "" {
						break
					}
					q.Cursor = want.NextCursor
				}
			}
		}
	})
}

// TestBroadSearchMatchesSQL walks every page of the broad queries of
// BenchmarkSearch (benchBroad: tokens most entries hold, and a widened
// query) through Search and compares each with the plain SQL path: same
// hits, order, pages, totals (with facets and alone) and facet counts;
// first on the generated catalog, where the first page of one token is
// served by firstPage, then with a posting firstPage cannot read (an
// attribute outside the vocabularies, a department id beyond the packing),
// which it leaves to the general path: there the token of that posting
// alone (证, 登记), which reaches what the four did (-coverprofile).
func TestBroadSearchMatchesSQL(t *testing.T) {
	eachCatalog(t, 1500, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = 'retired', updated_at = $1 WHERE id % 7 = 0`,
			time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		reader := Actor{Actor: audit.Actor{DepartmentID: 3}}
		operator := Actor{Operator: true}
		queries := []Query{{}, {Statuses: []Status{Published, Retired}}, {DepartmentID: 5}}
		// firstPage reports whether the first page of text, with facets, is
		// served from the postings of its one token.
		firstPageServes := func(text string) bool {
			m, _ := newMatcher(operator, Query{})
			_, ok, err := firstPage(ctx, db.Read(), Query{Text: text, Facets: true, Limit: 20}, text, &m)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		check := func(fixture string, texts []string) {
			t.Helper()
			pages := 0
			for _, text := range texts {
				for _, base := range queries {
					for _, by := range []Actor{reader, operator} {
						q := base
						q.Text, q.Facets, q.Limit, q.Sort = text, true, 50, ByRelevance
						for {
							got, err := Search(ctx, db.Read(), by, q)
							if err != nil {
								t.Fatal(err)
							}
							want := searchSQL(t, db, by, q)
							if !reflect.DeepEqual(ids(got), ids(want)) || got.Total != want.Total || (got.NextCursor == "") != (want.NextCursor == "") {
								t.Fatalf("%s: %q %+v: got %v total %d, SQL %v total %d", fixture, text, q, ids(got), got.Total, ids(want), want.Total)
							}
							if !reflect.DeepEqual(facetMap(got), facetMap(want)) {
								t.Fatalf("%s: %q %+v: facets\ngot %v\nSQL %v", fixture, text, q, facetMap(got), facetMap(want))
							}
							count := q
							count.Facets, count.Count = false, true
							if c, err := Search(ctx, db.Read(), by, count); err != nil || c.Total != want.Total {
								t.Fatalf("%s: %q %+v: count only %d (%v), SQL %d", fixture, text, count, c.Total, err, want.Total)
							}
							pages++
							if got.NextCursor == "" {
								break
							}
							q.Cursor = got.NextCursor
						}
					}
				}
			}
			if pages < 25*len(texts) {
				t.Errorf("%s: only %d pages of %d texts", fixture, pages, len(texts))
			}
		}
		for _, text := range benchBroad[:3] {
			if !firstPageServes(text) {
				t.Fatalf("firstPage leaves %q to the general path", text)
			}
		}
		check("generated", benchBroad)

		// An entry holding 证 with a domain outside the vocabulary.
		var id int64
		if err := db.Read().QueryRowContext(ctx, `SELECT MIN(entry_id) FROM catalog_search_tokens WHERE token = '证'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET domain = 'zz' WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		if firstPageServes("证") {
			t.Fatal("firstPage serves 证 with an unknown domain")
		}
		check("unknown domain", []string{"证"})
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET domain = '01' WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}

		// An entry holding 登记 of a department whose id the packing cannot hold.
		if _, err := db.Write().ExecContext(ctx, `INSERT INTO departments (id, name, uscc, region_code, created_at)
			VALUES (137438953472, '大编号部门', '91440000MA00000000', '440000', $1)`, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if err := db.Read().QueryRowContext(ctx, `SELECT MAX(entry_id) FROM catalog_search_tokens WHERE token = '登记'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET department_id = 137438953472 WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		if firstPageServes("登记") {
			t.Fatal("firstPage serves 登记 with a department id beyond the packing")
		}
		check("large department id", []string{"登记"})
	})
}

// searchSQL is Search on the plain SQL path alone: slowSearch, or the
// widened match in SQL for a widened query's pages (a cursor from one, or
// the first page when slowSearch finds nothing), marking its cursor Wide as
// wideSearch does.
func searchSQL(t *testing.T, db *sqldb.DB, by Actor, q Query) Page {
	t.Helper()
	ctx := context.Background()
	cur, err := decodeCursor(q.Cursor, q.Sort)
	if err != nil {
		t.Fatal(err)
	}
	wide := widens(queryTokens(q.Text))
	var p Page
	if !wide || cur == nil || !cur.Wide {
		if p, err = slowSearch(ctx, db.Read(), by, q, cur); err != nil {
			t.Fatal(err)
		}
		if !wide || cur != nil || len(p.Items) > 0 {
			return p
		}
	}
	w, err := widen(ctx, db.Read(), q.Text)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.alts) == 0 {
		return noHits(q)
	}
	q.wide = true
	if p, err = sqlSearch(ctx, db.Read(), by, q, cur, w); err != nil {
		t.Fatal(err)
	}
	p.Widened = true
	return p
}
