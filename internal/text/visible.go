package text

import "unicode"

// Blank reports whether s shows nothing: it holds only white space
// (unicode.IsSpace: spaces, tabs, line breaks, U+3000, U+00A0) and
// default-ignorable characters (Ignorable: zero-width spaces, BOMs,
// variation selectors, Hangul fillers such as U+3164), or the braille
// blank U+2800, which shows as a space. The empty string is blank. A
// required field that strings.TrimSpace alone checks takes "\u200b" or
// "\u3164" for a value; one that checks Blank refuses them as missing.
func Blank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !Ignorable(r) && r != '\u2800' {
			return false
		}
	}
	return true
}
