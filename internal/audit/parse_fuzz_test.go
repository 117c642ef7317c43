package audit_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
)

// FuzzParseFilters feeds arbitrary query values to the audit log's
// parsers of outside input: since and until (ParseRange), action
// (ParseActions, also -action of hutong audit) and anchor (ParseAnchor,
// also -anchor of hutong audit verify). A refusal is an Invalid error with
// a code and a Chinese message; what is accepted reads back as itself: a
// range's bounds written in RFC 3339, the actions listed, an anchor
// written as SEQ:HASH.
func FuzzParseFilters(f *testing.F) {
	hash := strings.Repeat("0a", 32)
	f.Add("2026-10-01", "2026-10-02", "records.read", "504:"+hash)
	f.Add("2026-10-01T08:00:00+08:00", "", "records.", " 1:"+strings.ToUpper(hash)+" ")
	f.Add("", "2026-10-01", audit.GroupPrefix+audit.ActionGroups[0].Key, "0:"+hash)
	f.Add("2026-10-02", "2026-10-01", "RECORDS.READ ", "9223372036854775807:"+hash)
	f.Add("9999-12-31", "0000-01-01T00:00:00+14:00", "records.read\x00", "-1:"+hash[:62])
	f.Add("2026-02-30", "2026-10-01T08:00:00.5Z", audit.GroupPrefix+"nothing", "1:"+hash+"00")
	f.Fuzz(func(t *testing.T, since, until, action, anchor string) {
		if s, u, err := audit.ParseRange(since, until); err != nil {
			wantRefusal(t, err)
		} else {
			if !s.IsZero() && !u.IsZero() && !u.After(s) {
				t.Fatalf("range %q to %q read as %v to %v, not in order", since, until, s, u)
			}
			s2, u2, err := audit.ParseRange(format(s), format(u))
			if err != nil || !s2.Equal(s) || !u2.Equal(u) {
				t.Fatalf("range %q to %q read as %v to %v, which reads back as %v to %v (%v)", since, until, s, u, s2, u2, err)
			}
		}
		if as, err := audit.ParseActions("action", action); err != nil {
			wantRefusal(t, err)
		} else {
			again, err := audit.ParseActions("action", as...)
			if err != nil || !slices.Equal(again, as) {
				t.Fatalf("action %q read as %q, which reads back as %q (%v)", action, as, again, err)
			}
		}
		if a, err := audit.ParseAnchor(anchor); err != nil {
			wantRefusal(t, err)
		} else if a.Seq < 1 || len(a.Hash) != 64 || strings.ToLower(a.Hash) != a.Hash {
			t.Fatalf("anchor %q read as %+v", anchor, a)
		} else if again, err := audit.ParseAnchor(a.String()); err != nil || again != a {
			t.Fatalf("anchor %q read as %+v, which reads back as %+v (%v)", anchor, a, again, err)
		}
	})
}

// format writes a bound as a query would give it again; the zero time as
// no bound.
func format(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

func wantRefusal(t *testing.T, err error) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid || e.Code == "" ||
		!strings.ContainsFunc(e.Message, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Fatalf("refused with %#v, want an Invalid error with a code and a Chinese message", err)
	}
}
