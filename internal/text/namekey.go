package text

import (
	"strings"
	"unicode"
)

// NameKey is the form in which a person's naming of a department is
// compared: Fold (full-width forms folded, compatibility ideographs and
// decomposed letters as their usual form, variation selectors, Hangul
// fillers and other default-ignorable characters left out), ASCII and
// other letters in lower case, and white space, punctuation (middle dots
// too), symbols and format characters (BOM, zero-width) left out, so that
// 佛山市南海区测试局1, 佛山市南海区测试局１, 佛山市 南海区测试局1,
// 佛山市南海区(测试局1) and 佛山市南海区（测试局1） are one key, and so are
// 王六 with U+516D and with the compatibility ideograph U+F9D1. The catalog import matches a
// 数源部门 value to a department's name or short name by it, and the
// organisation refuses a department name or short name whose key is
// another department's (department_name_confusable), so that what the
// import would find ambiguous never exists.
func NameKey(s string) string {
	return strings.Map(func(r rune) rune {
		if keyDrops(r) {
			return -1
		}
		return r
	}, strings.ToLower(Fold(s)))
}

// FoldKey is the part of NameKey that keeps punctuation and symbols: Fold,
// in lower case, without white space and format characters. Apps' names
// are compared by it (org's appKey), where punctuation and symbols tell
// systems apart (C++ and C#, A-1 and A1); NameKey drops them from it.
func FoldKey(s string) string {
	return strings.Map(func(r rune) rune {
		if foldKeyDrops(r) {
			return -1
		}
		return r
	}, strings.ToLower(Fold(s)))
}

// keyDrops reports whether NameKey leaves r out of Fold's text in lower
// case: what FoldKey leaves out (white space, format characters), and
// punctuation and symbols.
func keyDrops(r rune) bool {
	return foldKeyDrops(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// foldKeyDrops reports whether FoldKey leaves r out of Fold's text in
// lower case: white space and format characters.
func foldKeyDrops(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

// KeyDropsBeyondSpace reports whether NameKey(s) leaves out of s, folded
// (Fold) and in lower case, more than white space: punctuation, a symbol
// or a format character Fold keeps (keyDrops, NameKey's own test). When it
// does not, NameKey(s) is Fold(s) in lower case without its white space,
// and a department search for s may be looked for in the stored keys
// (org's searchKey).
func KeyDropsBeyondSpace(s string) bool {
	return strings.ContainsFunc(strings.ToLower(Fold(s)), func(r rune) bool {
		return keyDrops(r) && !unicode.IsSpace(r)
	})
}

// WidenASCII returns s with its printable ASCII characters but the space
// as their full-width forms (the inverse of FoldWidth for them): a search
// for 测试局1 also looks for 测试局１ with it.
func WidenASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if '!' <= r && r <= '~' {
			return r + 0xfee0
		}
		return r
	}, s)
}
