package text

import (
	"strings"
	"testing"
	"unicode"
)

func TestNameKey(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"佛山市南海区测试局1", "佛山市南海区测试局1"},
		{"佛山市南海区测试局１", "佛山市南海区测试局1"},
		{"佛山市 南海区测试局1", "佛山市南海区测试局1"},
		{"佛山市南海区(测试局1)", "佛山市南海区测试局1"},
		{"佛山市南海区（测试局1）", "佛山市南海区测试局1"},
		{"Test Bureau", "testbureau"},
		{"测试局\u200b", "测试局"},
		{"\ufeff测试局", "测试局"},
		{"买买提·艾力", "买买提艾力"},
		{"买买提\u30fb艾力", "买买提艾力"},
		{"王\uf9d1局", "王六局"},      // compatibility ideograph
		{"测试局\ufe0f", "测试局"},     // variation selector
		{"测试局\U000e0100", "测试局"}, // ideographic variation selector
		{"测试\u3164局", "测试局"},     // Hangul filler
		{"\uffa0", ""},
		{"A\u0304局", "\u0101局"}, // decomposed Ā, lower-cased
		{"测试局①", "测试局1"},
	} {
		if got := NameKey(c.in); got != c.want {
			t.Errorf("NameKey(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestKeyDropsBeyondSpace: for every code point, alone and between two
// letters, KeyDropsBeyondSpace reports whether NameKey left out more than
// white space, the rule org's department search reads it by: NameKey(s)
// differs from Fold(s) in lower case without white space exactly when it
// reports so. Before it, the search kept its own copy of what the key
// leaves out.
func TestKeyDropsBeyondSpace(t *testing.T) {
	spaceless := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, strings.ToLower(Fold(s)))
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		for _, s := range []string{string(r), "a" + string(r) + "局"} {
			if got, want := KeyDropsBeyondSpace(s), NameKey(s) != spaceless(s); got != want {
				t.Errorf("KeyDropsBeyondSpace(%q) (%U) = %v, want %v (NameKey %q)", s, r, got, want, NameKey(s))
			}
		}
	}
	for s, want := range map[string]bool{"南海区 政务门户": false, "区\u3000政务": false, "政务⻔户": false, "（筹）": true,
		"C++": true, "c#": true, "买买提·艾力": true, "测试局\u200b": false, "测试\u0600局": true, "": false} {
		if got := KeyDropsBeyondSpace(s); got != want {
			t.Errorf("KeyDropsBeyondSpace(%q) = %v, want %v", s, got, want)
		}
	}
}
