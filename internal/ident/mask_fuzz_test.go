package ident_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/ident"
)

// FuzzMask checks what Mask promises a log reader: it keeps the length in
// characters; of every run of at least 15 letters and digits only the first
// 6 and the last 2 stay; and the segment after a segment named subjects or
// ident keeps at most 8 letters and digits (its first 6 and last 2, or none).
func FuzzMask(f *testing.F) {
	for _, s := range []string{
		"", "/", "subjects/subjects/000000000", "/api/v1/ident/ident/E12345678",
		"/api/v1/records/entries/1/subjects/subjects/E12345678",
		"/api/v1/records/entries/1/subjects/440605195001010008/history",
		"/api/v1/ident/110105-19491231-002X", "/api/v1/ident/４４０６０５１９５００１０１０００８",
		"91440605MA4UXXXX0X,440605195001010008", "/文件/440605195001010008/证照",
		"44060550010100 E12345678", "/subjects/\xff1234567890123456\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := ident.Mask(s)
		in, out := []rune(s), []rune(got)
		if len(in) != len(out) {
			t.Fatalf("Mask(%q) = %q: %d characters, want %d", s, got, len(out), len(in))
		}
		for start := 0; start < len(in); {
			end := start
			for end < len(in) && maskAlnum(in[end]) {
				end++
			}
			if end-start >= 15 {
				for i := start + 6; i < end-2; i++ {
					if out[i] != '*' {
						t.Fatalf("Mask(%q) = %q: character %d of a run of %d at %d is %q, want '*'", s, got, i, end-start, start, out[i])
					}
				}
			}
			start = end + 1
		}
		if !strings.Contains(s, "/") {
			return
		}
		// Segments of s and of got line up: Mask writes no '/' but those
		// of s, and keeps every character's position.
		pos := 0
		segs := strings.Split(s, "/")
		for i, seg := range segs {
			n := utf8.RuneCountInString(seg)
			if i > 0 && (segs[i-1] == "subjects" || segs[i-1] == "ident") {
				kept := 0
				for _, r := range out[pos : pos+n] {
					if maskAlnum(r) {
						kept++
					}
				}
				if kept > 8 {
					t.Fatalf("Mask(%q) = %q: the subject segment %q keeps %d letters and digits, want at most 8", s, got, string(out[pos:pos+n]), kept)
				}
			}
			pos += n + 1
		}
	})
}

// maskAlnum is a letter or digit as Mask counts them: ASCII or full-width
// (but for the full-width hyphen, which is no letter or digit).
func maskAlnum(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' ||
		'０' <= r && r <= '９' || 'Ａ' <= r && r <= 'Ｚ' || 'ａ' <= r && r <= 'ｚ'
}
