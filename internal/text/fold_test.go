package text

import "testing"

func TestFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"张三 Zhang", "张三 Zhang"}, // case and spaces are kept
		{"王\uf9d1", "王六"},        // CJK compatibility ideograph
		{"\uf900", "\u8c48"},     // 豈
		{"A\u0304", "\u0100"},    // decomposed Ā
		{"\u0100", "\u0100"},
		{"李\u200b华", "李华"},       // zero-width space
		{"李\u2800华", "李华"},       // braille blank, which Blank reads as nothing
		{"\ufeff姓名", "姓名"},       // BOM
		{"李华\u00ad", "李华"},       // soft hyphen
		{"\u202e李华\u202c", "李华"}, // bidi override
		{"❤\ufe0f", "❤"},         // variation selector 16
		{"葛\U000e0100", "葛"},     // ideographic variation selector
		{"\u3164", ""},           // Hangul filler
		{"\uffa0", ""},           // half-width Hangul filler, U+3164 under NFKC
		{"\u115f\u1160", ""},     // Hangul choseong and jungseong fillers
		{"a\u034fb", "ab"},       // combining grapheme joiner
		{"\u180e", ""},           // Mongolian vowel separator
		{"\U000e0041", ""},       // tag
		{"买买提·艾力", "买买提·艾力"},
		{"买买提\u30fb艾力", "买买提·艾力"}, // katakana middle dot
		{"买买提\uff65艾力", "买买提·艾力"}, // its half-width form
		{"买买提\u2022艾力", "买买提·艾力"}, // bullet
		{"买买提\u2027艾力", "买买提·艾力"}, // hyphenation point
		{"买买提\u2219艾力", "买买提·艾力"},
		{"买买提\u22c5艾力", "买买提·艾力"},
		{"买买提\u0387艾力", "买买提·艾力"},
		{"买买提\u2e31艾力", "买买提·艾力"},
		{"ＡＢＣ１２３", "ABC123"}, // full-width forms
		{"李　华", "李 华"},       // U+3000
		{"李\u00a0华", "李 华"},  // no-break space
		{"ｶﾀｶﾅ", "カタカナ"},     // half-width katakana
		{"①", "1"},
		{"\u0600", "\u0600"},        // Arabic number sign, a visible format character
		{"\ufff9", "\ufff9"},        // interlinear annotation anchor
		{"A\u200d\u0304", "\u0100"}, // an ignorable between a letter and its accent
		{"A\uffa0\u0304", "\u0100"}, // one NFKC yields there
		{"。，、？「」", "。,、?「」"},
		{"\u2ecb辆\u2ed4户", "车辆门户"}, // CJK Radicals Supplement: ⻋ ⻔
		{"\u2ed3\u2ee2\u2edc\u2ec5\u2ec9\u2ec8", "长马飞见贝讠"},
		{"\u2e87\u2ee1", "\U00020628\U00029810"}, // radicals of ideographs outside the BMP
		{"\u2e9f\u2ef3", "母龟"},                   // the two NFKC decomposes itself
		{"\u2f08\u2fa8", "人門"},                   // Kangxi radicals, by NFKC
		{"\u2e80\u2e9a", "\u2e80\u2e9a"},         // no equivalent; unassigned
	} {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestFoldIdempotent checks Fold(Fold(s)) == Fold(s) for every code point
// of the planes in use (but private use planes 15 and 16)
// alone and between a letter and a combining accent.
func TestFoldIdempotent(t *testing.T) {
	for r := rune(0); r <= 0xe0fff; r++ {
		switch {
		case 0xd800 <= r && r <= 0xdfff: // surrogates
			continue
		case 0x40000 <= r && r < 0xe0000: // unassigned planes
			r = 0xe0000
		}
		for _, s := range []string{string(r), "A" + string(r) + "\u0304"} {
			if f := Fold(s); Fold(f) != f {
				t.Errorf("Fold(%q) = %q, but Fold(%q) = %q", s, f, f, Fold(f))
			}
		}
	}
}

func TestFoldNoAlloc(t *testing.T) {
	s := "公民身份号码 ABC123 买买提·艾力"
	if n := testing.AllocsPerRun(100, func() { Fold(s) }); n != 0 {
		t.Errorf("Fold of text with nothing to fold allocated %v times", n)
	}
}

func TestIgnorable(t *testing.T) {
	for _, r := range []rune{0xad, 0x34f, 0x61c, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180b, 0x180e, 0x180f, 0x200b,
		0x200c, 0x200d, 0x200e, 0x202a, 0x202e, 0x2060, 0x2064, 0x2065, 0x2066, 0x2069, 0x206f, 0x3164, 0xfe00, 0xfe0f,
		0xfeff, 0xffa0, 0xfff0, 0xfff8, 0x1bca0, 0x1bca3, 0x1d173, 0x1d17a, 0xe0000, 0xe0001, 0xe0020, 0xe007f,
		0xe0100, 0xe01ef, 0xe0fff} {
		if !Ignorable(r) {
			t.Errorf("Ignorable(%U) = false", r)
		}
	}
	for _, r := range []rune{0, ' ', 'a', 0x7f, 0xa0, 0xb7, 0x600, 0x605, 0x6dd, 0x70f, 0x110bd, 0x2028, 0x3000,
		0x3007, 0x516d, 0xfff9, 0xfffb, 0xfffc, 0xfffd, 0x13430, 0xe1000, 0x2800} {
		if Ignorable(r) {
			t.Errorf("Ignorable(%U) = true", r)
		}
	}
}
