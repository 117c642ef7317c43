package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestGlobalCalendarBeforeRecords: --calendar before the command stands
// for HUTONG_CALENDAR for records and import too, whose crosscheck,
// stale, quality and records read it since 2a12e6c: hutong --calendar F
// records stale was refused (records 命令前不能有 --calendar). The verbs
// that count no working days (records batches, import catalog) ignore it
// and the variable, as a command ignores the globals it does not read: a
// calendar file that cannot be read made records batches fail. A
// -calendar after the command still wins, and --calendar before a command
// that reads no calendar at all is still refused.
func TestGlobalCalendarBeforeRecords(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		dept := recordstest.Department(t, db, "公安分局", 1)
		recordstest.Entry(t, db, dept, hujiSpec)
		dir := t.TempDir()
		file, missing := filepath.Join(dir, "cal.txt"), filepath.Join(dir, "none.txt")
		if err := os.WriteFile(file, []byte("2030-01-05 workday 测试调休\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, verb := range []string{"stale", "quality", "crosscheck"} {
			must("--calendar", file, "records", verb)
			if out, err := hutong(t, vars, "--calendar", missing, "records", verb); err == nil || !strings.Contains(out+message(err), "none.txt") {
				t.Errorf("hutong --calendar MISSING records %s: %v, want the file named\n%s", verb, err, out)
			}
			must("--calendar", missing, "records", verb, "-calendar", file)
		}
		in := opsFile(t, addLine(recordstest.CitizenID(1), "张三"))
		if out, err := hutong(t, vars, "--calendar", missing, "import", "records", "-entry", hujiSpec.Code, "-file", in); err == nil ||
			!strings.Contains(out+message(err), "none.txt") {
			t.Errorf("hutong --calendar MISSING import records: %v, want the file named\n%s", err, out)
		}
		if out := must("--calendar", file, "import", "records", "-entry", hujiSpec.Code, "-file", in); !strings.Contains(out, "已导入 1 条操作") {
			t.Errorf("hutong --calendar F import records:\n%s", out)
		}
		if out := must("--calendar", missing, "records", "batches"); !strings.Contains(out, hujiSpec.Code) {
			t.Errorf("hutong --calendar MISSING records batches:\n%s", out)
		}
		withEnv := map[string]string{"HUTONG_DB": dsn, "HUTONG_CALENDAR": missing}
		mustHutong(t, withEnv)("records", "batches")
		if _, err := hutong(t, vars, "records", "batches", "-calendar", file); err == nil || !strings.Contains(message(err), "-calendar 只用于") {
			t.Errorf("records batches -calendar: %v, want refused", err)
		}
		for _, cmd := range [][]string{{"app", "list"}, {"org", "list"}, {"migrate"}} {
			if _, err := hutong(t, vars, append([]string{"--calendar", file}, cmd...)...); err == nil ||
				!strings.Contains(message(err), cmd[0]+" 命令前不能有 --calendar") {
				t.Errorf("hutong --calendar F %s: %v, want refused", strings.Join(cmd, " "), err)
			}
		}
	})
}
