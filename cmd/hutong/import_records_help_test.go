package main

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
)

// TestImportRecordsHelpNamesTimelinessRule: `hutong import records -h`
// said an operation is late after "the deadline its entry's update
// frequency sets", while lateness is judged by the entry's timeliness rule
// (records.Rule: real time, 2 working days, approved quarterly exception),
// whatever its update frequency.
func TestImportRecordsHelpNamesTimelinessRule(t *testing.T) {
	out, _ := hutong(t, nil, "import", "records", "-h")
	if strings.Contains(out, "update frequency sets") {
		t.Errorf("help says lateness follows the update frequency:\n%s", out)
	}
	for _, want := range []string{"时效规则", records.Within2.Label(), "quarterly", "real time"} {
		if !strings.Contains(out, want) {
			t.Errorf("help does not name %q:\n%s", want, out)
		}
	}
}
