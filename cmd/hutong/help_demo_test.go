package main

import (
	"strings"
	"testing"
)

// TestHelpDemoNamesPostgreSQL: hutong help demo says the demo runs on the
// database -db names, PostgreSQL too, not only on an embedded SQLite file
// (demo -db postgres://… fills a PostgreSQL database), and the command
// list does not call its database embedded.
func TestHelpDemoNamesPostgreSQL(t *testing.T) {
	out, err := hutong(t, nil, "help", "demo")
	if err != nil {
		t.Fatal(err)
	}
	usage, _, _ := strings.Cut(out, "Flags:")
	if !strings.Contains(usage, "postgres://") || strings.Contains(usage, "on an embedded SQLite database") {
		t.Errorf("hutong help demo does not say -db may name a PostgreSQL database:\n%s", usage)
	}
	list, err := hutong(t, nil, "help")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(list) {
		if f := strings.Fields(line); len(f) > 0 && f[0] == "demo" && strings.Contains(line, "embedded") {
			t.Errorf("hutong help lists demo as on an embedded database only: %s", line)
		}
	}
}
