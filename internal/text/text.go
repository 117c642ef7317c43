// Package text checks text that comes from outside before it is stored:
// both databases must store it alike, and PostgreSQL refuses NUL and
// invalid UTF-8 in text columns where SQLite keeps them.
package text

import (
	"net/url"
	"unicode/utf8"
)

// Plain reports whether s is valid UTF-8 without control characters (C0,
// DEL, C1) but, when lines is set, tabs and line breaks.
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
		if r == utf8.RuneError && n == 1 || r <= 0x9f { // invalid, or a C1 control
			return false
		}
		i += n
	}
	return true
}

// Key reports whether s can be a key or identifier a client chose: at most
// max characters of Plain text on one line.
func Key(s string, max int) bool {
	return utf8.RuneCountInString(s) <= max && Plain(s, false)
}

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

// StorableURL reports whether u's path and query parameters, decoded, are
// Storable: they become filters and identifiers in queries.
func StorableURL(u *url.URL) bool {
	if !Storable(u.Path) {
		return false
	}
	for i := 0; i < len(u.RawQuery); i++ {
		if c := u.RawQuery[i]; c == '%' || c >= utf8.RuneSelf {
			for k, vs := range u.Query() {
				if !Storable(k) {
					return false
				}
				for _, v := range vs {
					if !Storable(v) {
						return false
					}
				}
			}
			return true
		}
	}
	return true
}
