package records

import "testing"

// TestSameWidth pins that a cross-check compares values by
// golang.org/x/text/width.Fold, which folds more than text.FoldWidth (the
// catalog's and ident's fold): beside full-width ASCII forms it reads the
// full-width yen sign as ¥ and half-width katakana and punctuation as their
// wide forms, so one value typed either way is no discrepancy.
func TestSameWidth(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"Ｔｏｍ", "tom"},
		{"李　华", "李华"},
		{"￥100", "¥100"},
		{"ｶﾀｶﾅ", "カタカナ"},
		{"是｡", "是。"},
	} {
		if !same(c.a, c.b) {
			t.Errorf("same(%q, %q) = false, want true", c.a, c.b)
		}
	}
}

// TestSameFolds: values that show the same characters compare the same
// (text.Fold), white space and ASCII case aside as before; values that
// differ still differ.
func TestSameFolds(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"李华", "李\u200b华", true},
		{"\ufeff王𬀩", "王𬀩", true},
		{"王\u516d", "王\uf9d1", true},
		{"买买提·艾力", "买买提・艾力", true},
		{"买买提·艾力", "买买提•艾力", true},
		{"买买提 · 艾力", "买买提・艾力", true},
		{"Tom", "ＴＯＭ", true},
		{"李华", "李四", false},
		{"买买提·艾力", "买买提艾力", false},
	} {
		if got := same(c.a, c.b); got != c.want {
			t.Errorf("same(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
