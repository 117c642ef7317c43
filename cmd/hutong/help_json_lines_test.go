package main

import (
	"strings"
	"testing"
)

// TestHelpSaysJSONLines: the help texts name the format JSON Lines, as the
// console and the API do, never "JSON lines".
func TestHelpSaysJSONLines(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"help", "import"}, {"help", "export"},
		{"help", "import", "catalog"}, {"help", "import", "records"}, {"help", "export", "catalog"}} {
		out, err := hutong(t, nil, args...)
		if err != nil {
			t.Fatalf("hutong %s: %v", strings.Join(args, " "), err)
		}
		if strings.Contains(out, "JSON lines") {
			t.Errorf("hutong %s says JSON lines, want JSON Lines:\n%s", strings.Join(args, " "), out)
		}
	}
	if out, _ := hutong(t, nil, "help", "import", "records"); !strings.Contains(out, "JSON Lines") {
		t.Errorf("hutong help import records does not name JSON Lines:\n%s", out)
	}
}
