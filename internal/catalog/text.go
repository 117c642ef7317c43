package catalog

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/text"
)

// foldWidth turns full-width ASCII forms and the ideographic space into
// their half-width forms (text.FoldWidth) and lower-cases ASCII letters.
// Name keys stored in both databases are made with it.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII {
			return unicode.ToLower(r)
		}
		return r
	}, text.FoldWidth(s))
}

// searchFold is s as search tokens are made from it, in an entry's texts
// and in a query alike: folded as text that looks alike (text.Fold: NFKC,
// default-ignorable characters such as U+200B dropped, middle dots
// unified), then width-folded with ASCII letters in lower case
// (foldWidth). Tokens were made by width folding alone before: 殡葬服务
// <U+200B>记录信息 lacked the bigram 务记 and was not found whole by
// 殡葬服务记录信息; RekeyNames indexes such entries again.
func searchFold(s string) string { return foldWidth(text.Fold(s)) }

// synonyms maps item names that mean the same thing to one canonical name.
// Keys and values are in itemKey form (folded, without spaces). They are
// one data item to the one-data-one-source rule: 出生年月, which a table may
// keep to the month only, is 出生日期 as well, since it is taken from the
// same source (the household register); a department keeping its own
// 出生年月 is a second source of 出生日期, which the rule is there to find.
// 户籍地, 户籍所在地 and 户籍住址 are the 户籍地址 of the register, 婚姻状态 its
// 婚姻状况. Entries stored before a name was added here have its old key
// in catalog_item_keys rewritten at the next start of the server or hutong
// migrate (RekeyItems), or when they are next written (indexItems).
var synonyms = map[string]string{
	"身份证号": "公民身份号码", "身份证号码": "公民身份号码", "居民身份证号码": "公民身份号码", "公民身份证号码": "公民身份号码",
	"名字":     "姓名",
	"社会信用代码": "统一社会信用代码", "信用代码": "统一社会信用代码",
	"市场主体名称": "企业名称", "主体名称": "企业名称",
	"注册资金":  "注册资本",
	"出生年月日": "出生日期", "出生年月": "出生日期",
	"户籍地": "户籍地址", "户籍所在地": "户籍地址", "户籍住址": "户籍地址",
	"婚姻状态": "婚姻状况",
	"法人代表": "法定代表人", "法定代表人姓名": "法定代表人",
}

// searchSynonyms are what clerks call a thing that entries name otherwise,
// beside the item names of synonyms, each with the form entries are
// written in (docs/catalog-search.md, "Synonyms"). They are search only:
// ItemKey, and the one-data-one-source rule with it, do not read them.
var searchSynonyms = map[string]string{
	// Common usage: the household of 个体工商户 (《个体工商户条例》), the
	// word of the item 个体工商户名称 and of the registration.
	"个体户": "个体工商户",
	// Common usage: a household receiving 最低生活保障 (城乡最低生活保障 of
	// catalog.csv, the demo's 最低生活保障对象信息).
	"低保户": "最低生活保障",
}

// synonymGroups are the forms of synonyms and searchSynonyms, each with
// every form of its group, the canonical one included, longest first:
// one thing under several names, any of which a query may say.
var synonymGroups = func() map[string][]string {
	groups := map[string][]string{}
	for _, table := range []map[string]string{synonyms, searchSynonyms} {
		for form, canonical := range table {
			for _, f := range []string{canonical, form} {
				if !slices.Contains(groups[canonical], f) {
					groups[canonical] = append(groups[canonical], f)
				}
			}
		}
	}
	out := map[string][]string{}
	for _, g := range groups {
		slices.SortFunc(g, func(a, b string) int {
			if n := utf8.RuneCountInString(b) - utf8.RuneCountInString(a); n != 0 {
				return n
			}
			return strings.Compare(a, b)
		})
		for _, f := range g {
			out[f] = g
		}
	}
	return out
}()

// narrowerForms are the forms of synonymGroups that variants does not put
// in a query's place, because they are found inside other words as well:
// 户籍地 is in 非户籍地流动人员 (a migrant away from the place of his
// household), which holds no 户籍地址, so a query for 户籍地址, 户籍住址 or
// 户籍所在地 would find what it did not ask for (TestSynonymSearchPrecision).
// They stay forms of their group to ItemKey and the one-data-one-source
// rule, and a query saying one still finds the others. A narrower form
// that is not found inside other words (身份证号 of 身份证号码, 出生年月 of
// 出生年月日) is put, so that 公民身份号码 finds the entry whose item says
// 身份证号.
var narrowerForms = map[string]bool{"户籍地": true}

// maxSynonymForm is the length in characters of the longest form of
// synonymGroups.
var maxSynonymForm = func() int {
	n := 0
	for f := range synonymGroups {
		n = max(n, utf8.RuneCountInString(f))
	}
	return n
}()

// maxVariants bounds the texts variants returns.
const maxVariants = 16

// variants returns text (folded, searchFold) and the texts it is with each
// form of synonymGroups it holds replaced by each other form of that group:
// 居民身份证号码 is also 公民身份号码, 身份证号 and 身份证号码, 出生日期 出生年月日,
// 个体户 个体工商户; a form of narrowerForms is not put in another's place
// (户籍地址 is not also 户籍地). The forms are found anywhere in the text, the longest
// at each position first and not overlapping (居民身份证号码查询, 身份证号码
// 姓名; 统一社会信用代码 is one form, not 信用代码 inside a longer one).
// At most maxVariants texts: the forms after that many are kept as written.
func variants(text string) []string {
	out := []string{searchFold(text)}
	rs := []rune(out[0])
	for i := 0; i < len(rs); {
		var group []string
		n := 0
		for l := min(maxSynonymForm, len(rs)-i); l >= 2; l-- {
			if g, ok := synonymGroups[string(rs[i:i+l])]; ok {
				group, n = g, l
				break
			}
		}
		if group == nil {
			i++
			continue
		}
		if len(out)*len(group) <= maxVariants {
			form := string(rs[i : i+n])
			var next []string
			for _, v := range out {
				next = append(next, v) // text as written first
				vr := []rune(v)
				// The forms before i are replaced in v; the rest of v
				// is rs's, so the form is at the same distance from v's end.
				at := len(vr) - (len(rs) - i)
				for _, f := range group {
					if f != form && !narrowerForms[f] {
						next = append(next, string(vr[:at])+f+string(vr[at+n:]))
					}
				}
			}
			out = next
		}
		i += n
	}
	return out
}

// ItemKey is the form in which data item names are compared across
// entries — for the one-data-one-source rule here and for the cross-check of
// aggregated records: folded as text that looks alike, as entry names are
// (searchFold: text.Fold, so 出生<U+200B>日期 and 出生⽇期 with the Kangxi
// radical U+2F47 are 出生日期, and width folding, ASCII letters in lower
// case), without white space or common punctuation, and mapped through the
// synonym table. Keys stored before ItemKey folded with text.Fold are
// rewritten by RekeyItems.
func ItemKey(name string) string {
	k := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("-_·.（）()【】[]、/", r) {
			return -1
		}
		return r
	}, searchFold(name))
	if c, ok := synonyms[k]; ok {
		return c
	}
	return k
}

// isCJK reports whether r is a Han character, indexed as unigrams and bigrams.
func isCJK(r rune) bool { return unicode.Is(unicode.Han, r) }

// runs splits text, folded (searchFold), into runs of Han characters and
// runs of ASCII letters and digits; everything else separates runs.
func runs(s string) (han, words []string) {
	var cur []rune
	curHan := false
	flush := func() {
		if len(cur) > 0 {
			if curHan {
				han = append(han, string(cur))
			} else {
				words = append(words, string(cur))
			}
		}
		cur = cur[:0]
	}
	for _, r := range searchFold(s) {
		switch {
		case isCJK(r):
			if !curHan {
				flush()
			}
			curHan = true
			cur = append(cur, r)
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if curHan {
				flush()
			}
			curHan = false
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return han, words
}

// indexTokens returns the tokens under which text is found: every pair of
// adjacent Han characters and every ASCII word, and, when unigrams is set,
// every single Han character. Unigrams are indexed from an entry's name and
// abstract only, not from its data item names (docs/catalog-search.md): a
// one-character query matching only an item name is noise, and the item
// names of most entries share a few characters (证 of 证件号码, 号 of 公民身份号码),
// whose postings would cover most of the catalog. Item names stay
// searchable by any query of two or more characters.
func indexTokens(text string, unigrams bool, add func(string)) {
	han, words := runs(text)
	for _, h := range han {
		rs := []rune(h)
		for i, r := range rs {
			if unigrams {
				add(string(r))
			}
			if i+1 < len(rs) {
				add(string(rs[i : i+2]))
			}
		}
	}
	for _, w := range words {
		add(w)
	}
}

// abbreviations are the short and colloquial forms people search by, each
// with the full form that entries are written in (docs/catalog-search.md,
// "Abbreviations"). Where a text holds a full form, the bigrams of the text
// with the short form in its place are indexed too (abbreviatedTokens), so
// that 社保 and 社保缴费 find 社会保险缴费信息. Only forms whose full form
// does not already contain the short one are listed: 身份证 (居民身份证),
// 公积金 (住房公积金), 执照 (营业执照) and 行驶证 (机动车行驶证) are found
// as they are. Sources: catalog.csv, licence_types.csv and service_items.csv
// of the real catalog data (/work/shared/realdata) and common usage. They
// are replaced in this order, as migrations 0017 and 0025 (个税) do with
// nested replace() calls (TestAbbreviationsInMigrations checks); a change to
// the table needs a migration that indexes the entries again.
var abbreviations = []struct{ full, short string }{
	// catalog.csv: 个人社会保险待遇信息, beside 社保缴费信息 and 社保领域高频办理事项信息.
	{"社会保险", "社保"},
	// catalog.csv: 社会保障卡综合服务站. Only the card: 社会保障 alone (人力资源和
	// 社会保障局) is wider than 社保.
	{"社会保障卡", "社保卡"},
	// Common usage (医保 in catalog.csv: 厦门医疗保障医保范围医保目录); the
	// generated catalog's 医疗保险.
	{"医疗保险", "医保"},
	// catalog.csv: 银川市医疗保障局随机抽查事项清单, beside 市医保局-关于职工参保登记办理指引.
	{"医疗保障", "医保"},
	// catalog.csv: 城乡最低生活保障.
	{"最低生活保障", "低保"},
	// catalog.csv: 根据身份证号获取残疾证信息 (the short form); 残疾人证 is the
	// certificate's name (残疾人证管理办法).
	{"残疾人证", "残疾证"},
	// licence_types.csv and catalog.csv: 出生医学证明 (乌鲁木齐市出生医学证明签发程序).
	{"出生医学证明", "出生证"},
	// licence_types.csv: 机动车驾驶证; service_items.csv: 申请机动车驾驶证.
	{"驾驶证", "驾照"},
	// licence_types.csv and service_items.csv: 不动产权属证书; 不动产权证书 is
	// the certificate's printed name.
	{"不动产权属证书", "不动产证"},
	{"不动产权证", "不动产证"},
	// catalog.csv: 福州市区公共租赁住房租金标准.
	{"公共租赁住房", "公租房"},
	// service_items.csv: 户口簿 and 户籍所在地 side by side; the colloquial
	// name of household registration.
	{"户籍", "户口"},
	// Common usage (个税汇算 for the yearly settlement); the demo's
	// 个人所得税纳税记录. Since migration 0025.
	{"个人所得税", "个税"},
}

// abbreviate returns text with each full form of abbreviations replaced by
// its short form, in the table's order. Full and short forms are Han
// characters only, which searchFold leaves as they are.
func abbreviate(text string) string {
	for _, a := range abbreviations {
		text = strings.ReplaceAll(text, a.full, a.short)
	}
	return text
}

// otherNames are the other names people call a thing by, each with a form
// entries are written in (docs/catalog-search.md, "Other names"). Unlike
// abbreviations, which are replaced one after the other in one text, each
// is replaced alone in the text as written, and where the text holds its
// form, the bigrams of that text are indexed too: so one form has several
// names (不动产权证 is 房产证 and 房本, and 不动产证 by abbreviations), and a
// name may be the form of another (户籍 is 户口 by abbreviations, 户口 is 户籍
// here). Since migration 0030, which indexes the entries again; a change to
// the table needs another (TestAbbreviationsInMigrations).
var otherNames = []struct{ full, short string }{
	// 房产证 and 房本 are what citizens call the certificate of a home's
	// ownership: 房屋所有权证 until 2015, now the 不动产权证书 (licence_types.csv:
	// 不动产权属证书) that replaced it. Not 不动产 or 不动产登记: land, the
	// registration and the mortgage are no 房产证.
	{"不动产权证", "房产证"},
	{"不动产权属证书", "房产证"},
	{"房屋所有权证", "房产证"},
	{"不动产权证", "房本"},
	{"不动产权属证书", "房本"},
	{"房屋所有权证", "房本"},
	{"房产证", "房本"},
	// 失业证 is the 就业失业登记证 (the demo's item 就业失业登记证号), before it
	// was renamed 就业创业证 in 2014, and still called so.
	{"就业失业登记证", "失业证"},
	// 户口 and 户籍 are one thing (户口所在地, 户籍所在地): 户籍证明 finds
	// 户口迁移登记信息 by 户籍 as 户口本 finds 户籍人口基本信息 by 户口.
	{"户口", "户籍"},
}

// abbreviatedTokens calls add with the bigrams of text with its full forms
// abbreviated (abbreviate), when it holds any: the short forms' bigrams and
// those joining a short form to the characters beside it, and so with the
// bigrams of text with each form of otherNames it holds replaced alone by
// its other name. It adds no unigrams: a one-character query finds only
// what an entry says (照 does not find 机动车驾驶证 through 驾照). Text is
// folded first (searchFold). Most of the bigrams are those of text itself;
// the caller merges them.
func abbreviatedTokens(text string, add func(string)) {
	text = searchFold(text)
	if s := abbreviate(text); s != text {
		bigrams(s, add)
	}
	for _, n := range otherNames {
		if strings.Contains(text, n.full) {
			bigrams(strings.ReplaceAll(text, n.full, n.short), add)
		}
	}
}

// bigrams calls add with every pair of adjacent Han characters of s.
func bigrams(s string, add func(string)) {
	han, _ := runs(s)
	for _, h := range han {
		rs := []rune(h)
		for i := 0; i+1 < len(rs); i++ {
			add(string(rs[i : i+2]))
		}
	}
}

// queryTokens returns the tokens a query must all match: a one-character
// Han run as its unigram (found in names and abstracts only, see
// indexTokens), a longer run as its bigrams, ASCII words as they
// are. Duplicates are removed; order is kept.
func queryTokens(q string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	han, words := runs(q)
	for _, h := range han {
		rs := []rune(h)
		if len(rs) == 1 {
			add(h)
		}
		for i := 0; i+1 < len(rs); i++ {
			add(string(rs[i : i+2]))
		}
	}
	for _, w := range words {
		add(w)
	}
	return out
}

// Stop words are the words of a citizen's query that say what the user
// wants to do, or what every entry says, not what it is about
// (docs/catalog-search.md, "Query words"): 营业执照查询, 我的社保, 办理结婚证,
// 企业信息. Entries are named after their data (营业执照信息), so such a
// word, whose bigrams the entry lacks, made the query find nothing. They
// are dropped at the start (leadingStopWords) or the end (trailingStopWords)
// of a run of Han characters only, where they stand as words of their own:
// 信息 ends most entry names and carries nothing, but starts 信息化. 证明 is
// no stop word: entries are named so (出生医学证明, 无犯罪记录证明). Longer
// words come first where one holds another.
var (
	leadingStopWords  = []string{"我的", "我要", "如何", "怎么", "怎样", "办理", "查询", "查看", "查找", "搜索"}
	trailingStopWords = []string{"查询", "查看", "查找", "搜索", "办理", "信息", "在哪里", "在哪", "哪里", "怎么办"}
)

// meaningful returns q, folded (searchFold), without the stop words at the
// start or end of its runs of Han characters (营业执照查询 → 营业执照, 办理结婚证 →
// 结婚证), and q as it is when it has nothing else (查询, 信息). A stop word
// inside a run is kept: it may be part of the word around it.
func meaningful(q string) string {
	var b strings.Builder
	var run []rune
	flush := func() {
		t := string(run)
		for cut := true; cut; {
			cut = false
			for _, w := range leadingStopWords {
				if s, ok := strings.CutPrefix(t, w); ok {
					t, cut = s, true
				}
			}
			for _, w := range trailingStopWords {
				if s, ok := strings.CutSuffix(t, w); ok {
					t, cut = s, true
				}
			}
		}
		if t != string(run) {
			t = " " + t + " "
		}
		b.WriteString(t)
		run = run[:0]
	}
	for _, r := range searchFold(q) {
		if isCJK(r) {
			run = append(run, r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	out := collapse(b.String())
	if len(queryTokens(out)) == 0 {
		return q
	}
	return out
}
