package text

import "testing"

func TestFoldWidth(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"ABC123", "ABC123"},
		{"ＡＢＣ１２３", "ABC123"},
		{"ａｂｃ", "abc"}, // case is kept
		{"！～", "!~"},   // U+FF01 and U+FF5E, the ends of the range
		{"李　华", "李 华"}, // U+3000
		{"＂＃＄％＆＇（）＊＋，－．／：；＜＝＞？＠［＼］＾＿｀｛｜｝", "\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}"},
		{"\uff00\uff5f\uff60", "\uff00\uff5f\uff60"}, // just outside the range; ⦅⦆ stay
		{"￠￡￥", "￠￡￥"},                               // full-width signs without ASCII forms stay
		{"ｶﾀｶﾅ", "ｶﾀｶﾅ"},                             // half-width katakana stays
		{"。，、？「」", "。,、?「」"},                         // ideographic punctuation stays; ，？ are full-width ASCII forms
		{"统一社会信用代码\u00a0Ｘ", "统一社会信用代码\u00a0X"},       // other spaces stay
	} {
		if got := FoldWidth(c.in); got != c.want {
			t.Errorf("FoldWidth(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFoldWidthNoAlloc(t *testing.T) {
	s := "公民身份号码 ABC123"
	if n := testing.AllocsPerRun(100, func() { FoldWidth(s) }); n != 0 {
		t.Errorf("FoldWidth of text with nothing to fold allocated %v times", n)
	}
}

func TestNarrowRune(t *testing.T) {
	for r := rune(0); r < 0x10000; r++ {
		got, want := NarrowRune(r), r
		switch {
		case r == 0x3000:
			want = ' '
		case 0xff01 <= r && r <= 0xff5e:
			want = r - 0xff01 + '!'
		}
		if got != want || wide(r) != (got != r) {
			t.Errorf("NarrowRune(%U) = %U, Wide %v; want %U", r, got, wide(r), want)
		}
	}
}
