package text

import "testing"

func TestBlank(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"", true},
		{"   ", true},
		{"\t\r\n", true},
		{"\u3000\u00a0", true},
		{"\u200b", true},
		{"\ufeff", true},
		{" \u200b\u200c\u200d\u2060 ", true},
		{"\u3164", true},
		{"\uffa0\u115f\u1160", true},
		{"\ufe0f", true},
		{"\U000e0100", true},
		{"\u2028\u2029", true},
		{"\u00ad", true},
		{"\u202e", true},
		{"\u2800", true},
		{"张三", false},
		{"\u200b张三", false},
		{"·", false},
		{"\ufffd", false},
		{"\xff", false},
		{"0", false},
		{"\u0600", false}, // a visible format character
	} {
		if got := Blank(c.s); got != c.want {
			t.Errorf("Blank(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestNameProblem(t *testing.T) {
	const (
		lineBreak = "含有换行符（名称只能写在一行）"
		control   = "含有控制字符、非字符（如 U+FFFF）或无效的字符编码"
		blank     = "只有空白或不可见的字符"
		invisible = "含有不可见的字符（如零宽空格、BOM、文字方向控制符、变体选择符、韩文填充符、盲文空格）"
	)
	for _, c := range []struct{ s, want string }{
		{"", ""},
		{"佛山市南海区测试局", ""},
		{"买买提·艾力", ""},
		{"Zhang San", ""},
		{"测试局（一）", ""},
		{"测试局\n", lineBreak},
		{"测试\r局", lineBreak},
		{"测试\u2028局", lineBreak},
		{"测试\u2029局", lineBreak},
		{"测试\u0085局", lineBreak},
		{"测试\v局", lineBreak},
		{"测试\t局", control},
		{"测试\x00局", control},
		{"测试\x1b局", control},
		{"测试\xff局", control},
		{"测试\uffff局", control},
		{"   ", blank},
		{"\u200b", blank},
		{"\u3164", blank},
		{"\u3000\ufeff", blank},
		{"\u2800", blank},
		{"测试局\u200b", invisible},
		{"\ufeff测试局", invisible},
		{"\u202e局试测", invisible},
		{"测试局\ufe0f", invisible},
		{"葛\U000e0100", invisible},
		{"测试\u3164局", invisible},
		{"王\u2800哲", invisible}, // braille blank
		{"测试\uffa0局", invisible},
		{"a\u034fb", invisible},
		{"\u0600测试", invisible}, // a format character, if not ignorable
	} {
		if got := NameProblem(c.s); got != c.want {
			t.Errorf("NameProblem(%q) = %q, want %q", c.s, got, c.want)
		}
	}
}
