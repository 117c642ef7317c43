package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// errReader fails every read, as a closed standard input does.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// TestReadPasswordNoInput: with standard input empty or unreadable and no
// HUTONG_PASSWORD, the error says where a password comes from, not
// "read password: EOF".
func TestReadPasswordNoInput(t *testing.T) {
	e := &env{Stderr: &syncBuffer{}, Getenv: func(string) string { return "" }}
	for name, in := range map[string]interface{ Read([]byte) (int, error) }{
		"empty":  strings.NewReader(""),
		"closed": errReader{&os.PathError{Op: "read", Path: "/dev/stdin", Err: os.ErrClosed}},
	} {
		_, err := readPassword(context.Background(), e, "HUTONG_PASSWORD", in)
		if err == nil || !strings.Contains(err.Error(), "set HUTONG_PASSWORD") || strings.Contains(err.Error(), "EOF") ||
			strings.Contains(err.Error(), "/dev/stdin") {
			t.Errorf("%s standard input: got %v, want a sentence naming HUTONG_PASSWORD", name, err)
		}
	}
}

// TestMissingInputFile: a mistyped input file is named as missing, with
// the flag to check, instead of Go's "open X: no such file or directory";
// a folder given as a file is called one.
func TestMissingInputFile(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"HUTONG_DB": filepath.Join(dir, "h.db")}
	mustHutong(t, vars)("migrate")
	missing := filepath.Join(dir, "nope.csv")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "catalog", "-file", missing, "-department", "1"}, "file " + missing + " does not exist (check -file)"},
		{[]string{"import", "records", "-entry", "1", "-file", missing}, "file " + missing + " does not exist (check -file)"},
		{[]string{"import", "catalog", "-file", dir, "-format", "csv", "-department", "1"}, dir + " is a folder, not a file (check -file)"},
		{[]string{"serve", "-addr", "127.0.0.1:0", "-calendar", missing}, "file " + missing + " does not exist (check -calendar or HUTONG_CALENDAR)"},
		{[]string{"calendar", "-file", missing, "2026"}, "节假日文件 " + missing + " 不存在"},
	} {
		out, err := hutong(t, vars, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "no such file") {
			t.Errorf("hutong %s: got %v, want %q\n%s", strings.Join(c.args, " "), err, c.want, out)
		}
	}
}

// TestAuditVerifyOutput: the report of an intact chain is one Chinese
// sentence, not "审计链完整：N rows verified".
func TestAuditVerifyOutput(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "h.db")}
	mustHutong(t, vars)("migrate")
	out := mustHutong(t, vars)("audit", "verify")
	if !strings.HasPrefix(out, "审计链完整：已校验 ") || strings.Contains(out, "rows") || strings.Contains(out, "head") {
		t.Errorf("audit verify: %q", out)
	}
}
