package text

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold is the form in which text that looks alike compares alike: two
// values whose Fold is the same show the same characters. It is s
//   - in Unicode compatibility composition (NFKC): a letter and its
//     combining accent as the one precomposed letter (A+U+0304 is Ā), a
//     CJK compatibility ideograph as its unified ideograph (U+F9D1 is
//     六), full-width ASCII forms and half-width katakana as their usual
//     width (ＡＢＣ１ is ABC1), the ideographic space U+3000 and the
//     no-break space U+00A0 as a space, and compatibility forms such as ①
//     as what they stand for (1);
//   - with the radicals of the CJK Radicals Supplement (U+2E81–U+2EF3),
//     which NFKC keeps, as the unified ideographs Unicode lists as their
//     equivalents (radicals: ⻋ is 车, ⻔ is 门, ⻓ is 长), as NFKC already
//     has the Kangxi radicals (⼈ is 人);
//   - without default-ignorable characters (Ignorable): zero-width spaces
//     and joiners, BOMs, soft hyphens, bidi controls, variation selectors
//     (U+FE0F, U+E0100), the combining grapheme joiner and the Hangul
//     fillers (U+3164), which show nothing, nor the braille blank U+2800,
//     which shows as a space and which Blank, too, reads as nothing;
//   - with the middle dots that separate the parts of a transcribed name
//     (买买提·艾力) as U+00B7: the katakana middle dot U+30FB (and its
//     half-width form U+FF65), the bullet U+2022, the hyphenation point
//     U+2027, the bullet and dot operators U+2219 and U+22C5, the Greek
//     ano teleia U+0387 and the word separator middle dot U+2E31, which
//     input methods type in its place.
//
// Case, white space and punctuation are kept: a comparison that ignores
// them (NameKey, the records' cross-check) drops or folds them from Fold.
// Fold(Fold(s)) is Fold(s). It allocates only when s holds something it
// changes. Fold is not FoldWidth: keys stored by FoldWidth must be
// rewritten before they are compared with keys made by Fold.
func Fold(s string) string {
	// NFKC may yield an ignorable character (U+FFA0 and U+3164 are U+1160)
	// and dots to unify (U+FF65 is U+30FB); dropping one that stood between
	// a letter and its accent leaves them to compose again. strings.Map and
	// norm's String return s itself when they change nothing.
	s = norm.NFKC.String(strings.Map(firstRune, s))
	return norm.NFKC.String(strings.Map(foldRune, s))
}

// FoldCode is a code as typed or imported (a resource code, a region code:
// an import's cell, a URL, a form) in the form codes are stored: Fold
// (full-width digits and solidus as ASCII, １０１００１／００００１ as
// 101001/00001; zero-width spaces, BOMs and other invisible characters
// dropped), white space trimmed. Whether the result is a code is the
// caller's check; nothing is padded.
func FoldCode(s string) string { return strings.TrimSpace(Fold(s)) }

// firstRune is r as Fold's first pass maps it: a radical of the CJK
// Radicals Supplement as its ideograph (radical), an ignorable character
// dropped (-1). NFKC yields no such radical, so the second pass need not.
func firstRune(r rune) rune {
	return dropIgnorable(radical(r))
}

// foldRune is r as Fold's second pass maps it: a middle dot as U+00B7, an
// ignorable character dropped (-1).
func foldRune(r rune) rune {
	if isMiddleDot(r) {
		return '\u00b7'
	}
	return dropIgnorable(r)
}

// isMiddleDot reports whether r is a middle dot Fold unifies as U+00B7.
func isMiddleDot(r rune) bool {
	switch r {
	case '\u00b7', '\u0387', '\u2022', '\u2027', '\u2219', '\u22c5', '\u2e31', '\u30fb', '\uff65':
		return true
	}
	return false
}

// DropIgnorable returns s without the characters Fold drops (Ignorable,
// the braille blank U+2800), as a search drops them from its query: a
// zero-width space or BOM pasted with it is no part of it.
func DropIgnorable(s string) string {
	return strings.Map(dropIgnorable, s)
}

// dropIgnorable is -1 for an ignorable r (Ignorable) and for the braille
// blank U+2800, which Fold drops: strings.Map's form of what shows nothing
// but white space.
func dropIgnorable(r rune) rune {
	if r == '\u2800' || Ignorable(r) {
		return -1
	}
	return r
}

// Ignorable reports whether r is a default-ignorable code point (the
// Unicode property Default_Ignorable_Code_Point): one a text shows
// nothing of when it cannot show it otherwise. That is a format character
// (category Cf: zero-width space, joiners, BOM, soft hyphen, bidi
// controls, tags) but the visible ones (the prepended concatenation marks
// such as U+0600, the interlinear annotation marks U+FFF9–U+FFFB, the
// Egyptian hieroglyph format controls), a variation selector (U+FE00–
// U+FE0F, U+E0100–U+E01EF, the Mongolian U+180B–U+180F), or another
// default-ignorable character: the combining grapheme joiner U+034F, the
// Hangul fillers U+115F, U+1160, U+3164 and U+FFA0, the Khmer vowels
// U+17B4 and U+17B5, and the unassigned code points Unicode reserves as
// such (U+2065, U+FFF0–U+FFF8, U+E0000–U+E0FFF).
func Ignorable(r rune) bool {
	if r < 0xad { // ASCII and Latin-1 up to the soft hyphen hold none
		return false
	}
	switch {
	case unicode.In(r, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector):
		return true
	case unicode.Is(unicode.Cf, r):
		return !unicode.In(r, unicode.Prepended_Concatenation_Mark, unicode.White_Space) &&
			!('\ufff9' <= r && r <= '\ufffb') && !('\U00013430' <= r && r <= '\U0001343f')
	}
	return false
}
