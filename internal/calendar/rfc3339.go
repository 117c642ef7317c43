package calendar

import (
	"fmt"
	"time"
)

// ParseRFC3339 reads an RFC 3339 time (a fraction of a second allowed)
// whose offset is a real one: minutes 00 to 59 and at most 24 hours
// (+24:00 is the largest, as the API documents). Go's time.Parse takes
// +08:60 and +24:60 (25 hours) too; every time the API, the CLI and the
// console read as RFC 3339 is read here, so they refuse the same ones.
func ParseRFC3339(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, err
	}
	if n := len(s); s[n-1] != 'Z' {
		h, m := int(s[n-5]-'0')*10+int(s[n-4]-'0'), int(s[n-2]-'0')*10+int(s[n-1]-'0')
		if m > 59 || h*60+m > 24*60 {
			return time.Time{}, fmt.Errorf("time %q: offset %s is not one of at most 24 hours", s, s[n-6:])
		}
	}
	return t, nil
}
