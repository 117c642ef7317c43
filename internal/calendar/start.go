package calendar

import "time"

// ParseStart reads the start a deadline is counted from, as the API's
// deadline and the console's deadline calculator both take it, and the
// bounds of an audit filter (audit.ParseRange): an RFC 3339 time
// (ParseRFC3339), or a date (2026-01-02, the only form of its length),
// the start of that day in Beijing time. s is read as it is; callers trim
// it.
func ParseStart(s string) (time.Time, error) {
	if t, err := ParseRFC3339(s); err == nil {
		return t, nil
	}
	return time.ParseInLocation(time.DateOnly, s, Location())
}

// InRange reports whether a deadline counted from from and due at due
// lies in the years 0 to 9999 in Beijing time, those a date is written in
// (YYYY-MM-DD), as the API's deadline and the console's deadline
// calculator require.
func InRange(from, due time.Time) bool {
	return from.In(Location()).Year() >= 0 && due.In(Location()).Year() <= 9999
}
