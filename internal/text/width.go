package text

import "strings"

// FoldWidth returns s with its full-width ASCII forms (U+FF01–U+FF5E:
// ＡＢＣ１２３，！) as ASCII (ABC123,!) and the ideographic space U+3000 as
// a space, as a Chinese input method types them. Nothing else changes:
// not half-width katakana, nor the full-width signs ￠￡￥ (U+FFE0–U+FFE6),
// nor ideographic punctuation such as 。、「」, which has no ASCII form
// (golang.org/x/text/width.Fold folds the first two as well). The
// catalog's name keys, stored in both databases, are made with it, so
// what it folds must not change without rewriting them. It allocates
// only when s holds something to fold.
func FoldWidth(s string) string {
	if !strings.ContainsFunc(s, wide) {
		return s
	}
	return strings.Map(NarrowRune, s)
}

// wide reports whether r is one of the characters FoldWidth folds: a
// full-width ASCII form or the ideographic space.
func wide(r rune) bool {
	return r == '\u3000' || '\uff01' <= r && r <= '\uff5e'
}

// NarrowRune is r as FoldWidth folds it: the ASCII character of a
// full-width form, a space for U+3000, else r itself.
func NarrowRune(r rune) rune {
	switch {
	case r == '\u3000':
		return ' '
	case '\uff01' <= r && r <= '\uff5e':
		return r - 0xfee0
	}
	return r
}
