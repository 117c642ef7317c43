package main

import (
	"os"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestMissingDBNamesDemo: a command run without -db where hutong demo ran
// (hutong-demo.db in the working directory, no hutong.db) says to add
// -db hutong-demo.db before saying how to create a new, empty platform;
// elsewhere it says how to create one, or to try the demo.
func TestMissingDBNamesDemo(t *testing.T) {
	t.Chdir(t.TempDir())
	verify := func() string {
		t.Helper()
		var out testlog.Buffer
		err := run(t.Context(), []string{"audit", "verify"}, func(string) string { return "" }, &out, &out)
		if err == nil {
			t.Fatal("audit verify without a database: no error")
		}
		return message(err)
	}
	if got := verify(); !strings.Contains(got, "新建数据库：hutong migrate -db hutong.db（或试试 hutong demo）") || strings.Contains(got, "hutong-demo.db") {
		t.Errorf("no demo database: %s", got)
	}
	if err := os.WriteFile("hutong-demo.db", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	got := verify()
	demo := strings.Index(got, "请加 -db hutong-demo.db")
	migrate := strings.Index(got, "hutong migrate -db hutong.db")
	if demo < 0 || migrate < demo || strings.Contains(got, "试试 hutong demo") {
		t.Errorf("demo database present: %s", got)
	}
	if _, err := os.Stat("hutong.db"); err == nil {
		t.Error("audit verify created hutong.db")
	}
}
