package audit_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hutong-gov/hutong/internal/audit"
)

// TestLogReadEventKeepsTheFilter: the audit.read row names the filter's
// parameters, not whatever else the reader sent (it would write arbitrary
// text into the chain on every page view), and keeps long values short.
func TestLogReadEventKeepsTheFilter(t *testing.T) {
	long := strings.Repeat("甲", 300)
	ev := audit.LogReadEvent(audit.Actor{Kind: audit.ActorUser, ID: "7"}, map[string][]string{
		"subject_id": {" 110101199003070011 "}, "action": {"records.read", "", "group:read"},
		"actor": {long}, "x": {"任意文字"}, "outcome": {""},
	}, []string{"subject_id", "action", "actor", "outcome"})
	want := audit.Detail("action", "records.read,group:read", "actor", strings.Repeat("甲", 100)+"…",
		"subject_id", "110101199003070011")
	if ev.Action != "audit.read" || !cmp.Equal(ev.Detail, want) {
		t.Errorf("got %s %v, want audit.read %v", ev.Action, ev.Detail, want)
	}
}
