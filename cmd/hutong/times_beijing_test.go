package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestTimesSayBeijing: the commands that print times say they are Beijing
// time, as the API's messages do, where they printed 2026-03-02 14:05:06
// alone, read as local time by someone outside Beijing time: a table's
// column of times in its header (audit list 时间, app show 签发时间 and
// 最近使用, records batches 接收时间), a time elsewhere after it (app list
// 已注销, app show 宽限期至) or before it (app rotate 至北京时间). On both
// engines.
func TestTimesSayBeijing(t *testing.T) {
	stamp := `\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}`
	wantLine := func(t *testing.T, what, out string, line int, want ...string) {
		t.Helper()
		first := strings.Split(out, "\n")[line]
		for _, w := range want {
			if !strings.Contains(first, w) {
				t.Errorf("%s: line %d %q lacks %q:\n%s", what, line, first, w, out)
			}
		}
	}
	wantMatch := func(t *testing.T, what, out, pattern string) {
		t.Helper()
		if !regexp.MustCompile(pattern).MatchString(out) {
			t.Errorf("%s: want %s:\n%s", what, pattern, out)
		}
	}
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		_, must := mustNanhaiBureau(t, dsn)
		must("app", "create", "-name", "运维", "-department", "1", "-scopes", "catalog.read")
		wantMatch(t, "app rotate", must("app", "rotate", "-id", "1", "-grace", "1h"), `在 1 小时内（至北京时间 `+stamp+`）仍然有效`)
		out := must("app", "show", "-id", "1")
		wantLine(t, "app show", out, 1, "签发时间（北京时间）", "最近使用（北京时间）")
		wantMatch(t, "app show", out, `宽限期至 `+stamp+`（北京时间）`)
		must("app", "revoke", "-id", "1")
		wantMatch(t, "app list", must("app", "list"), `已注销 `+stamp+`（北京时间）`)
		wantLine(t, "audit list", must("audit", "list"), 0, "序号", "时间（北京时间）")
	})
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		dept := recordstest.Department(t, db, "市场监管局", 1)
		recordstest.Entry(t, db, dept, recordstest.Spec{Code: "102001/000001", Name: "企业登记信息", SubjectKind: "legal_entity",
			Items: []records.Item{{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "企业名称", Type: "C", Length: 50}}})
		in := tempFile(t, "firms.csv", "op,subject_id,produced_at,企业名称\nadd,"+recordstest.USCC(1)+",2026/3/2 9:00,乙公司\n")
		must("import", "records", "-entry", "102001/000001", "-file", in)
		wantLine(t, "records batches", must("records", "batches"), 0, "批次", "接收时间（北京时间）")
	})
}
