package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// errReader fails every read, as a closed standard input does.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// TestReadPasswordNoInput: with standard input empty or unreadable and no
// HUTONG_PASSWORD, the error says where a password comes from, not
// "read password: EOF".
func TestReadPasswordNoInput(t *testing.T) {
	e := &env{Stderr: &testlog.Buffer{}, Getenv: func(string) string { return "" }}
	for name, in := range map[string]interface{ Read([]byte) (int, error) }{
		"empty":  strings.NewReader(""),
		"closed": errReader{&os.PathError{Op: "read", Path: "/dev/stdin", Err: os.ErrClosed}},
	} {
		_, err := readPassword(context.Background(), e, "HUTONG_PASSWORD", in)
		if err == nil || !strings.Contains(err.Error(), "设置 HUTONG_PASSWORD") || strings.Contains(err.Error(), "EOF") ||
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
		{[]string{"import", "catalog", "-file", missing, "-department", "1"}, "文件 " + missing + " 不存在（请检查 -file）"},
		{[]string{"import", "records", "-entry", "1", "-file", missing}, "文件 " + missing + " 不存在（请检查 -file）"},
		{[]string{"import", "catalog", "-file", dir, "-format", "csv", "-department", "1"}, dir + " 是文件夹，不是文件（请检查 -file）"},
		{[]string{"serve", "-addr", "127.0.0.1:0", "-calendar", missing}, "文件 " + missing + " 不存在（请检查 -calendar 或 HUTONG_CALENDAR）"},
		{[]string{"calendar", "-file", missing, "2026"}, "文件 " + missing + " 不存在（请检查 -file）"},
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

// TestAuditListBeijingTime: audit list prints its times in Beijing time,
// as records batches does, whatever the time zone of the machine, under
// Chinese headers.
func TestAuditListBeijingTime(t *testing.T) {
	defer func(l *time.Location) { time.Local = l }(time.Local)
	time.Local = time.UTC
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "h.db")}
	must := mustHutong(t, vars)
	must("migrate")
	before := time.Now().Truncate(time.Second)
	mustNanhai(must)
	after := time.Now()
	out := must("audit", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "序号") || !strings.Contains(lines[0], "时间") {
		t.Fatalf("audit list:\n%s", out)
	}
	m := regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`).FindString(lines[1])
	at, err := time.ParseInLocation(time.DateTime, m, calendar.Location())
	if err != nil || at.Before(before) || at.After(after) {
		t.Errorf("audit list time %q (%v), want Beijing time between %s and %s:\n%s", m, err,
			beijingTime(before), beijingTime(after), out)
	}
}
