package catalog

import (
	"strings"
	"unicode"
)

// foldWidth turns full-width ASCII forms and the ideographic space into
// their half-width forms and lower-cases ASCII letters.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '\uff01' && r <= '\uff5e':
			r -= 0xfee0
		}
		if r < unicode.MaxASCII {
			return unicode.ToLower(r)
		}
		return r
	}, s)
}

// synonyms maps item names that mean the same thing to one canonical name.
// Keys and values are in itemKey form (folded, without spaces).
var synonyms = map[string]string{
	"身份证号": "公民身份号码", "身份证号码": "公民身份号码", "居民身份证号码": "公民身份号码", "公民身份证号码": "公民身份号码",
	"名字":     "姓名",
	"社会信用代码": "统一社会信用代码", "信用代码": "统一社会信用代码",
	"市场主体名称": "企业名称", "主体名称": "企业名称",
	"注册资金":  "注册资本",
	"出生年月日": "出生日期",
	"法人代表":  "法定代表人", "法定代表人姓名": "法定代表人",
}

// ItemKey is the form in which data item names are compared across
// entries — for the one-data-one-source rule here and for the cross-check of
// aggregated records: width-folded, ASCII lower-cased, without white space
// or common punctuation, and mapped through the synonym table.
func ItemKey(name string) string {
	k := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("-_·.（）()【】[]、/", r) {
			return -1
		}
		return r
	}, foldWidth(name))
	if c, ok := synonyms[k]; ok {
		return c
	}
	return k
}

// isCJK reports whether r is a Han character, indexed as unigrams and bigrams.
func isCJK(r rune) bool { return unicode.Is(unicode.Han, r) }

// runs splits folded text into runs of Han characters and runs of ASCII
// letters and digits; everything else separates runs.
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
	for _, r := range foldWidth(s) {
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
