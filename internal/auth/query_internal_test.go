package auth

import (
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/errs"
)

// TestMalformedEscapeNamed: the refusal of a malformed escape names the
// first pair holding one, as sent, and says how to write a % itself; a
// long pair is cut at a character's start, never mid-character.
func TestMalformedEscapeNamed(t *testing.T) {
	for raw, pair := range map[string]string{
		"department_id=4%":             "department_id=4%",
		"sort=name&q=x&q=%zz&d=%":      "q=%zz",
		"a=1&%E4%B8%80%=1":             "%E4%B8%80%=1",
		"at=2020-01-01T00:00:00Z%&x=1": "at=2020-01-01T00:00:00Z%",
	} {
		r := httptest.NewRequest("GET", "/catalog?"+raw, nil)
		e := errs.As(checkQuery(r))
		if e == nil || e.Code != "invalid_query" || !strings.Contains(e.Message, "「"+pair+"」") || !strings.Contains(e.Message, "%25") {
			t.Errorf("?%s: %v, want invalid_query naming %s", raw, e, pair)
		}
	}
	long := "q=a" + strings.Repeat("一", 30) + "%"
	e := errs.As(checkQuery(httptest.NewRequest("GET", "/catalog?"+long, nil)))
	if e == nil || !strings.Contains(e.Message, "「"+long[:3+25*3]+"…」") || !utf8.ValidString(e.Message) {
		t.Errorf("a long pair: %v, want it cut before the 26th 一, which the 80th byte is in", e)
	}
}
