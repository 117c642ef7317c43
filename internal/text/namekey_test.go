package text

import "testing"

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
