package audit_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
)

// TestLogReadEventKeepsNoControlText: a read of the log, refused ones
// too (which run before the filter is checked), keeps a filter value with
// a control or format character (bidi overrides, zero-width ones) or
// bytes that are not UTF-8 as a marker, not as given: the row's detail is
// shown on the console and in exports, where such text could reorder
// what an auditor reads. It kept the raw value.
func TestLogReadEventKeepsNoControlText(t *testing.T) {
	q := map[string][]string{
		"actor":   {"gat\u202eadmin"},
		"action":  {"records.read", "x\u200by"},
		"since":   {"2026-10-01\x00"},
		"until":   {"\xff2026"},
		"outcome": {"denied"},
	}
	ev := audit.LogReadEvent(audit.Actor{Kind: audit.ActorUser, ID: "1"}, q, []string{"actor", "action", "since", "until", "outcome"})
	for _, bad := range []string{"\u202e", "\u200b", "\\u0000", "\ufffd", "gat", "x"} {
		if strings.Contains(ev.Detail, bad) {
			t.Errorf("detail %s holds %q", ev.Detail, bad)
		}
	}
	const invalid = "（含无效字符，未记录）"
	for _, want := range []string{`"outcome":"denied"`, `"action":"records.read,` + invalid + `"`, `"actor":"` + invalid + `"`} {
		if !strings.Contains(ev.Detail, want) {
			t.Errorf("detail %s lacks %s", ev.Detail, want)
		}
	}
}
