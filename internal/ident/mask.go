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
//
// The segment after a segment named subjects or ident (the {subject} of
// the record reads, API and console, and the {value} of the identifier
// check), up to the next '/', is a subject's identifier whatever its shape
// and is masked whole (maskSegment): a passport or permit number
// (E12345678 reads *********), or an ID typed with spaces or hyphens
// (1101051949 12310021 reads 110105***********21), which no run of 15
// would catch.
//
// The log can say which district's subject a request was about without
// naming the subject; the audit log keeps it in full.
func Mask(s string) string {
	if !strings.Contains(s, "/") {
		return maskRuns(s)
	}
	parts := strings.Split(s, "/")
	subject := false // the segment before parts[i], as given, names a subject
	for i, p := range parts {
		if subject {
			parts[i] = maskSegment(p)
		} else {
			parts[i] = maskRuns(p)
		}
		// Decided from p as given, not from parts[i] masked: in
		// subjects/subjects/E12345678 the second subjects is itself masked
		// and the identifier after it is still a subject's.
		subject = subjectSegment[p]
	}
	return strings.Join(parts, "/")
}

// MaskValue returns v, one subject's identifier whatever its shape (a
// citizen ID, a passport or permit number, an ID typed with spaces), masked
// whole as Mask masks the segment after subjects/ or ident/: one of at
// least 15 letters and digits keeps its first 6 and last 2 of them
// (440605**********08), a shorter one is all '*' (E12345678 reads
// *********), every other character a '*'. For a text where a person's
// identifier must not be read, not only a citizen ID's middle, and for a
// username in a log, which may be any of them, typed with the hyphens or
// dots a username accepts (110105-19491231-0021 reads 110105************21).
func MaskValue(v string) string {
	return maskSegment(v)
}

// subjectSegment holds the path segments whose next one is a subject's
// identifier: /api/v1/records/entries/{id}/subjects/{subject} (and its
// /history), the console's /records/entries/{id}/subjects/{subject} and
// /api/v1/ident/{value}.
var subjectSegment = map[string]bool{"subjects": true, "ident": true}

// maskSegment masks a path segment holding a subject's identifier: one of
// at least 15 letters and digits, an ID or a credit code however separated,
// keeps its first 6 and last 2 of them (a single run reads as maskRuns
// reads it), and every other character is a '*'; a shorter one (a
// passport, a permit, an organization code) is all '*'.
func maskSegment(seg string) string {
	n := 0
	for _, r := range seg {
		if alnum(r) {
			n++
		}
	}
	var b strings.Builder
	k := 0 // letters and digits seen
	for _, r := range seg {
		if alnum(r) {
			k++
			if n >= maskRun && (k <= 6 || k > n-2) {
				b.WriteRune(r)
				continue
			}
		}
		b.WriteByte('*')
	}
	return b.String()
}

// maskRuns masks the runs of at least 15 letters and digits of s, as Mask
// describes.
func maskRuns(s string) string {
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
