// Package text checks text that comes from outside before it is stored:
// both databases must store it alike, and PostgreSQL refuses NUL and
// invalid UTF-8 in text columns where SQLite keeps them.
package text

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Plain reports whether s is valid UTF-8 without control characters (C0,
// DEL, C1) but, when lines is set, tabs and line breaks, and without
// noncharacters (U+FDD0–U+FDEF and the last two code points of each
// plane, U+FFFE, U+FFFF, U+1FFFE ... U+10FFFF): Unicode keeps these for a
// program's internal use, not for interchange, and U+FFFE and U+FFFF are
// no XML characters, which the catalog's XLSX export (excelize, through
// encoding/xml) writes as U+FFFD, so that a value holding one changed on
// export and import again.
func Plain(s string, lines bool) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if (c < 0x20 || c == 0x7f) && !(lines && (c == '\t' || c == '\n' || c == '\r')) {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r <= 0x9f || noncharacter(r) { // invalid, or a C1 control
			return false
		}
		i += n
	}
	return true
}

// noncharacter reports whether r is a Unicode noncharacter.
func noncharacter(r rune) bool {
	return r&0xfffe == 0xfffe || 0xfdd0 <= r && r <= 0xfdef
}

// HasFormat reports whether s holds a Unicode format character (category
// Cf): a zero-width space or joiner, a byte order mark, a soft hyphen, a
// bidirectional control (U+202A–U+202E, U+2066–U+2069). Shown, they are
// invisible or reorder the text around them: a note or a purpose of only
// such characters looks blank, and an override shows its text reversed.
// Plain allows them, since a source's data may carry them (an emoji's
// joiner, a BOM left in a cell); text a person writes into the audit
// trail refuses them (records.CheckPurpose, records' notes). Chinese text
// needs none: U+200D joins the parts of some emoji only.
func HasFormat(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf { // ASCII has no format character
			for _, r := range s[i:] {
				if unicode.Is(unicode.Cf, r) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// Key reports whether s can be a key or identifier a client chose: at most
// max characters of Plain text on one line.
func Key(s string, max int) bool {
	return utf8.RuneCountInString(s) <= max && Plain(s, false)
}

// LineFeeds returns s with its line breaks as line feeds: a CR LF, as a
// browser posts a textarea's and Windows writes them, or a CR alone, as
// LF. encoding/csv reads a CR LF in a quoted cell as LF; a JSON string
// keeps what it holds. Text stored with its line breaks so reads alike
// whichever way it came, and counts a line break as one character.
func LineFeeds(s string) string { return lineFeeds.Replace(s) }

var lineFeeds = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// Storable reports whether a database stores s alike on both engines:
// valid UTF-8 without NUL. Text that is only kept, never shown as a field
// (an audit row's purpose), needs no more.
func Storable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return false
		}
	}
	return utf8.ValidString(s)
}

// MakeStorable returns s Storable: NUL and bytes that are not UTF-8 as
// U+FFFD, s itself when it already is.
func MakeStorable(s string) string {
	if Storable(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// StorableURL reports whether u's path and query parameters, decoded, are
// Storable: they become filters and identifiers in queries. Each
// '&'-separated pair is decoded whole, as url.ParseQuery decodes its key
// and value apart: the '=' between them is ASCII, so it neither hides nor
// makes a byte that is not Storable. A pair holding a malformed escape
// cannot be decoded and is skipped, not called text that is not Storable:
// the request is refused before, as one whose query holds a ';' is (auth's
// 400 invalid_query), since ParseQuery would drop either pair.
// Unlike u.Query(), this builds no map: a handler parses the query itself.
func StorableURL(u *url.URL) bool {
	if !Storable(u.Path) {
		return false
	}
	for q := u.RawQuery; q != ""; {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		if s, err := url.QueryUnescape(pair); err == nil && !Storable(s) {
			return false
		}
	}
	return true
}
