package sqldb

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestDefaultServiceFile: the connection service file read when none is
// named is the one pgx reads (pgconn's defaultSettings): ~/.pg_service.conf
// elsewhere, whatever APPDATA says; on Windows
// %APPDATA%\postgresql\.pg_service.conf, as libpq, falling back to
// ~/.pg_service.conf only when that one does not exist and the home one
// does, or when APPDATA is unset. The home folder is found
// (os.UserHomeDir) or not. It read ~/.pg_service.conf on Windows too.
func TestDefaultServiceFile(t *testing.T) {
	home, appData := t.TempDir(), t.TempDir()
	homeFile := filepath.Join(home, ".pg_service.conf")
	appFile := filepath.Join(appData, "postgresql", ".pg_service.conf")
	write := func(name string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte("[db]\nhost=localhost\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := func(appData string) func(string) string {
		return func(k string) string {
			if k == "APPDATA" {
				return appData
			}
			return ""
		}
	}
	found := func() (string, error) { return home, nil }
	lost := func() (string, error) { return "", errors.New("no home") }
	check := func(what string, windows bool, appData string, home func() (string, error), want string) {
		t.Helper()
		if got := defaultServiceFile(windows, env(appData), home); got != want {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
	}
	check("windows, neither file", true, appData, found, appFile)
	write(homeFile)
	check("windows, the home file alone", true, appData, found, homeFile)
	check("windows, no APPDATA", true, "", found, homeFile)
	check("windows, no APPDATA nor home", true, "", lost, "")
	check("windows, no home", true, appData, lost, appFile)
	write(appFile)
	check("windows, both files", true, appData, found, appFile)
	check("elsewhere, both files", false, appData, found, homeFile)
	check("elsewhere, no home", false, appData, lost, "")
}
