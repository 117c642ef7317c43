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
