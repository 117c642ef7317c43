package catalog

import (
	"testing"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/text"
)

// FuzzQueryTokens feeds arbitrary search text q to the search's tokenizer
// (meaningful, then queryTokens, as Search reads ?q=): it never yields an
// empty token, nor more tokens than the text has characters folded
// (text.Fold, which may lengthen it: what MaxQueryChars bounds); and searching for an entry's exact name finds
// it: every token of that query is among the tokens its name is indexed
// by (tokenFields), in the name.
func FuzzQueryTokens(f *testing.F) {
	for _, s := range []string{
		"外国企业常驻代表机构登记", "营业执照查询", "我的社保", "社会保险缴费信息", "办理结婚证",
		"ＧＢ／Ｔ 2261.1 性别代码", "hu籍", "殡葬服务\u200b记录信息", "㍿㋀", "信息", "查询", "证", " 个人所得税纳税记录 ", "a_b-c", "食品经营许可信息",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		tokens := queryTokens(meaningful(q))
		if n := utf8.RuneCountInString(text.Fold(q)); len(tokens) > n {
			t.Fatalf("%q: %d tokens for %d characters: %q", q, len(tokens), n, tokens)
		}
		indexed := tokenFields(Resource{Name: q})
		for _, tok := range tokens {
			if tok == "" {
				t.Fatalf("%q: empty token in %q", q, tokens)
			}
			if indexed[tok]&inName == 0 {
				t.Fatalf("an entry named %q is not found by its name: token %q of %q is not among its name's tokens", q, tok, tokens)
			}
		}
	})
}
