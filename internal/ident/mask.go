package ident

import (
	"strings"
	"unicode/utf8"
)

// maskRun is the shortest run of letters and digits Mask hides: an old
// 15-digit citizen ID; the 18-character ones and credit codes are longer.
// Shorter tokens (entry, batch and sequence ids, years, the halves of
// catalog codes) stay readable.
const maskRun = 15

// Mask returns s, a request path or another text bound for a log, with
// every run of at least 15 letters and digits — a citizen ID or a unified
// social credit code, valid or not — masked but for its first 6 characters
// (the region) and its last 2: 440605195001010008 reads 440605**********08.
// The letters and digits are the ASCII ones and their full-width forms
// (０-９, Ａ-Ｚ, ａ-ｚ), which the validators accept as the same identifier,
// mixed as they may be; runs are counted in characters, not bytes:
// ４４０６０５１９５００１０１０００８ reads ４４０６０５**********０８.
// The log can say which district's subject a request was about without
// naming the subject; the audit log keeps it in full.
func Mask(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is in b
	for i := 0; i < len(s); {
		// s[i:j] is a run of n letters and digits; head is the byte
		// offset after its first 6, last those of its last 2.
		j, n, head := i, 0, i
		var last [2]int
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !alnum(r) {
				break
			}
			last[0], last[1] = last[1], j
			j += size
			n++
			if n == 6 {
				head = j
			}
		}
		if n >= maskRun {
			b.WriteString(s[done:head])
			b.WriteString(strings.Repeat("*", n-8))
			done = last[0]
		}
		if j < len(s) {
			_, size := utf8.DecodeRuneInString(s[j:])
			j += size
		}
		i = j
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// alnum reports whether r is an ASCII letter or digit or its full-width
// form (fullWidth, which clean reads as ASCII, but for its hyphen).
func alnum(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || fullWidth(r) && r != '－'
}
