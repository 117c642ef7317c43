package text

import (
	"net/url"
	"strings"
	"time"
)

// QueryTime is the time parameter name of q as it was meant: form
// decoding makes a space of a +, so the offset of
// ?at=2026-03-01T00:00:00+08:00, as the docs show it and curl sends it,
// unencoded, arrives as "2026-03-01T00:00:00 08:00". A space between a
// date and time of day and an offset is read as the + it was there;
// anywhere else it stays a space. The API and the console read every time
// in a query through it.
func QueryTime(q url.Values, name string) string {
	v := q.Get(name)
	s := strings.TrimSpace(v)
	i := len(s) - len(" 08:00")
	if i < 0 || s[i] != ' ' {
		return v
	}
	if _, err := time.Parse("2006-01-02T15:04:05", s[:i]); err != nil {
		return v
	}
	if _, err := time.Parse("15:04", s[i+1:]); err != nil {
		return v
	}
	return s[:i] + "+" + s[i+1:]
}
