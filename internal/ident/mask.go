package ident

import "strings"

// maskRun is the shortest run of ASCII letters and digits Mask hides: an
// old 15-digit citizen ID; the 18-character ones and credit codes are
// longer. Shorter tokens (entry, batch and sequence ids, years, the halves
// of catalog codes) stay readable.
const maskRun = 15

// Mask returns s, a request path or another text bound for a log, with
// every run of at least 15 ASCII letters and digits — a citizen ID or a
// unified social credit code, valid or not — masked but for its first 6
// characters (the region) and its last 2: 440605195001010008 reads
// 440605**********08. The log can say which district's subject a request
// was about without naming the subject; the audit log keeps it in full.
func Mask(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is in b
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && asciiAlnum(s[j]) {
			j++
		}
		if j-i >= maskRun {
			b.WriteString(s[done : i+6])
			b.WriteString(strings.Repeat("*", j-i-8))
			done = j - 2
		}
		i = j + 1
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

func asciiAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
