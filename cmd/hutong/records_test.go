package main

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// openRecordsDB migrates the database at dsn with hutong migrate and opens
// it, for the test to add departments and entries to; it is closed when the
// test ends. vars run hutong on it.
func openRecordsDB(t *testing.T, dsn string) (db *sqldb.DB, vars map[string]string) {
	t.Helper()
	vars = map[string]string{"HUTONG_DB": dsn}
	mustHutong(t, vars)("migrate")
	db, err := sqldb.Open(context.Background(), dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, vars
}

// hujiSpec is 公安分局's 户籍人口信息 of the records tests.
var hujiSpec = recordstest.Spec{Code: "101001/000001", Name: "户籍人口信息", SubjectKind: "person",
	Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 20}}}

// addLine is the JSON line that adds the person subject named name,
// produced on 2026-03-02 at 10:00.
func addLine(subject, name string) string {
	return `{"op":"add","subject_id":"` + subject + `","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"` + name + `"}}` + "\n"
}

// tempFile writes content into a file named name in a temporary folder
// and answers its path.
func tempFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// opsFile writes ops, JSON lines, into a file of a temporary folder for
// hutong import records and answers its path.
func opsFile(t *testing.T, ops string) string {
	t.Helper()
	return tempFile(t, "ops.jsonl", ops)
}

// fedAt records in db's statistics that entry, of dept, received one
// record with both its items filled, last at last, as if pushed then.
func fedAt(t *testing.T, db *sqldb.DB, entry, dept int64, last time.Time) {
	t.Helper()
	sqldbtest.Exec(t, db, `INSERT INTO record_entry_stats (entry_id, department_id, ops,
		late_ops, checked_lines, rejected_lines, live_records, filled_values, item_count, fill_version, last_received_at)
		VALUES ($1, $2, 1, 0, 1, 0, 1, 2, 2, 1, $3)`, entry, dept, last.UTC())
}

// TestImportRecordsWarnings: a line accepted with a warning (a company's
// credit code whose check character is wrong, as real early codes' is)
// is listed above the summary, which counts the warnings.
func TestImportRecordsWarnings(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		dept := recordstest.Department(t, db, "市场监管局", 1)
		recordstest.Entry(t, db, dept, recordstest.Spec{Code: "102001/000001", Name: "企业登记信息", SubjectKind: "legal_entity",
			Items: []records.Item{{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "企业名称", Type: "C", Length: 50}}})
		in := tempFile(t, "firms.csv", "op,subject_id,produced_at,企业名称\n"+
			"add,"+recordstest.USCC(1)+",2026/3/2 9:00,乙公司\n"+
			"add,91350100M0001TGQXM,2026/3/2 9:00,甲公司\n")
		out := must("import", "records", "-entry", "102001/000001", "-file", in)
		if !strings.Contains(out, "第 3 行（注意）：统一社会信用代码 913501**********XM 的校验码不符，应为 1：") ||
			strings.Contains(out, "第 2 行") || !strings.Contains(out, "已导入 2 条操作") || !strings.Contains(out, "注意事项 1 条（见上）") {
			t.Errorf("import with a warning:\n%s", out)
		}
	})
}

// TestImportRecordsUnchanged: a change to the values its record already
// holds writes no version, and the import summary and records batches
// count it as 未变化, as the API's "unchanged" does, where it showed 已导入
// 0 条操作，跳过重复 0 条 and nothing said where the operation went.
func TestImportRecordsUnchanged(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		recordstest.Entry(t, db, recordstest.Department(t, db, "公安分局", 1), hujiSpec)
		dir := t.TempDir()
		add := filepath.Join(dir, "add.jsonl")
		same := filepath.Join(dir, "same.jsonl")
		if err := os.WriteFile(add, []byte(addLine(recordstest.CitizenID(0), "张三")), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(same, []byte(`{"op":"change","subject_id":"`+recordstest.CitizenID(0)+
			`","produced_at":"2026-03-02T11:00:00+08:00","values":{"姓名":"张三"}}`+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		must("import", "records", "-entry", "101001/000001", "-file", add)
		if out := must("import", "records", "-entry", "101001/000001", "-file", same); !strings.Contains(out, "已导入 0 条操作，未变化 1 条，跳过重复 0 条") ||
			!strings.Contains(out, "无新版本") {
			t.Errorf("import of a change that changes nothing:\n%s", out)
		}
		out := must("records", "batches")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		head := strings.Fields(lines[0])
		i := slices.Index(head, "未变化")
		if len(lines) != 3 || i < 1 || head[i-1] != "已导入" {
			t.Fatalf("records batches: want a 未变化 column after 已导入:\n%s", out)
		}
		// A row has two fields more than the header before it: 接收时间's date and time,
		// 推送方's kind and name (系统 cli).
		col := func(line string, n int) string { return strings.Fields(line)[n+2] }
		if col(lines[1], i) != "1" || col(lines[1], i-1) != "0" || col(lines[2], i) != "0" || col(lines[2], i-1) != "1" {
			t.Errorf("records batches: want 未变化 1 for the change, 0 for the add:\n%s", out)
		}
	})
}

// TestRecordsCommands imports records from files (applied, replayed,
// refused line by line) and lists what the batches, quality, stale and
// crosscheck verbs report, on both engines.
func TestRecordsCommands(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		recordstest.Entry(t, db, recordstest.Department(t, db, "公安分局", 1), hujiSpec)

		dir := t.TempDir()
		write := func(name, body string) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}
		var good strings.Builder
		for i := 0; i < 3; i++ {
			good.WriteString(addLine(recordstest.CitizenID(i), "张三"))
		}
		in := write("good.jsonl", good.String())
		if out := must("import", "records", "-entry", "101001/000001", "-file", in, "-key", "k1"); !strings.Contains(out, "已导入 3 条操作") {
			t.Errorf("import: %s", out)
		}
		if out := must("import", "records", "-entry", "101001/000001", "-file", in, "-key", "k1"); !strings.Contains(out, "此前已导入（3 条操作），本次未重复导入") {
			t.Errorf("import again: %s", out)
		}
		bad := write("bad.csv", "op,subject_id,produced_at,姓名\n"+
			"change,"+recordstest.CitizenID(1)+",2026-03-02 11:00:00,李四\n"+
			"add,123,2026-03-02 11:00:00,错号\n")
		out, err := hutong(t, vars, "import", "records", "-entry", "101001/000001", "-file", bad)
		if !errors.Is(err, errReported) || !strings.Contains(out, "第 3 行：") || strings.Contains(out, "第 2 行") ||
			!strings.Contains(out, "共 2 行，其中 1 行有错误，发现 1 处错误，整批未导入任何数据") {
			t.Errorf("bad import: %v\n%s", err, out)
		}

		out = must("records", "batches")
		if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || !strings.Contains(lines[1], "101001/000001") ||
			!strings.Contains(lines[1], "公安分局") || !strings.Contains(lines[1], " 3 ") || !strings.Contains(lines[1], "1-3") {
			t.Errorf("records batches:\n%s", out)
		}
		if out := must("records", "batches", "-entry", "101001/000001", "-limit", "1"); strings.Contains(out, "更早的批次") {
			t.Errorf("the one batch, a full page, points to older ones (TestBatchesHintOnlyWhenOlder):\n%s", out)
		}
		if out, err := hutong(t, vars, "records", "batches", "-limit", "0"); err == nil {
			t.Errorf("-limit 0 accepted:\n%s", out)
		}
		// A batch whose operations were all applied before prints no
		// sequence range ("变更序号 0-0").
		keyed := write("keyed.jsonl", `{"op":"change","subject_id":"`+recordstest.CitizenID(0)+`","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"王五"},"key":"op-1"}`+"\n")
		if out := must("import", "records", "-entry", "101001/000001", "-file", keyed); !strings.Contains(out, "已导入 1 条操作") || !strings.Contains(out, "，变更序号 4，") {
			t.Errorf("import of one operation: %s", out)
		}
		if out := must("import", "records", "-entry", "101001/000001", "-file", keyed); !strings.Contains(out, "跳过重复 1 条") ||
			!strings.Contains(out, "无新版本") || strings.Contains(out, "变更序号") {
			t.Errorf("import of a duplicate: %s", out)
		}
		if out := must("records", "batches", "-limit", "2"); !strings.Contains(out, " 4\n") || !strings.Contains(out, " -\n") {
			t.Errorf("records batches of a one-version and a no-version batch: want seq 4 and -:\n%s", out)
		}
		// Read from the store a batch at a time, the lists and their hint
		// are the same.
		for _, args := range [][]string{{"records", "batches"}, {"records", "batches", "-limit", "2"}} {
			want := must(args...)
			func() {
				defer func(n int) { listPageSize = n }(listPageSize)
				listPageSize = 1
				if got := must(args...); got != want {
					t.Errorf("%s a batch at a time:\n%s\nwant\n%s", strings.Join(args, " "), got, want)
				}
			}()
		}
		if out := must("records", "quality"); !strings.Contains(out, "101001/000001") {
			t.Errorf("records quality:\n%s", out)
		}
		must("records", "stale")
		if out := must("records", "crosscheck"); !strings.Contains(out, "比对 0 对数据资源") {
			t.Errorf("records crosscheck:\n%s", out)
		}
	})
}

// TestRecordsQualityDiscrepancies: records quality prints, per entry and
// per department, the open discrepancies and those awaiting correction,
// which count against the entry whose value was decided wrong only.
func TestRecordsQualityDiscrepancies(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		ctx := context.Background()
		gaj, rsj := recordstest.Department(t, db, "公安分局", 1), recordstest.Department(t, db, "人社局", 2)
		hj := recordstest.Entry(t, db, gaj, hujiSpec)
		recordstest.Entry(t, db, rsj, recordstest.Spec{Code: "315001/000001", Name: "社保参保信息", SubjectKind: "person",
			Items: []records.Item{{Name: "身份证号", Type: "C", IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 20}}})
		dir := t.TempDir()
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		for i, push := range []struct{ code, name1, name2 string }{
			{"101001/000001", "张三", "李四"}, {"315001/000001", "张叁", "李肆"},
		} {
			file := filepath.Join(dir, push.code[:6]+".jsonl")
			if err := os.WriteFile(file, []byte(addLine(p1, push.name1)+addLine(p2, push.name2)), 0o644); err != nil {
				t.Fatal(err)
			}
			if out := must("import", "records", "-entry", push.code, "-file", file); !strings.Contains(out, "已导入 2 条操作") {
				t.Fatalf("import %d: %s", i, out)
			}
		}
		// 户籍's value of p1 is decided right: 社保 must correct it.
		now := time.Now()
		open, _, err := records.Discrepancies(ctx, db.Read(), records.DiscrepancyFilter{SubjectID: p1, Status: "open"}, now)
		if err != nil || len(open) != 1 {
			t.Fatalf("open discrepancies of p1: %+v, %v", open, err)
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := records.Resolve(ctx, tx, records.Reviewer{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}, Operator: true}, open[0].ID, hj, "以户籍为准", now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		// The columns named, by the first column (the resource code, or
		// the department of a department's row).
		columns := func(out string, names ...string) map[string]string {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			header := strings.Fields(lines[0])
			got := map[string]string{}
			for _, l := range lines[1:] {
				f := strings.Fields(l)
				if len(f) != len(header) {
					continue
				}
				var vs []string
				for _, n := range names {
					if i := slices.Index(header, n); i >= 0 {
						vs = append(vs, f[i])
					}
				}
				got[f[0]] = strings.Join(vs, " ")
			}
			return got
		}
		figures := func(out string) map[string]string {
			if f := strings.Fields(strings.SplitN(out, "\n", 2)[0]); !slices.Contains(f, "待处理差异") ||
				slices.Index(f, "待更正") != slices.Index(f, "待处理差异")+1 || slices.Index(f, "待处理差异") != slices.Index(f, "迟报")+1 {
				t.Errorf("records quality header %q: want 待处理差异 and 待更正 after 迟报", f)
			}
			return columns(out, "待处理差异", "待更正")
		}
		want := map[string]string{"101001/000001": "1 0", "315001/000001": "1 1"}
		if got := figures(must("records", "quality")); !maps.Equal(got, want) {
			t.Errorf("records quality: open and awaiting %v, want %v", got, want)
		}
		want = map[string]string{strconv.FormatInt(gaj, 10): "1 0", strconv.FormatInt(rsj, 10): "1 1"}
		byDept := must("records", "quality", "-by", "department")
		if got := figures(byDept); !maps.Equal(got, want) {
			t.Errorf("records quality -by department: open and awaiting %v, want %v", got, want)
		}
		// Rows name their entry and department.
		if out := must("records", "quality"); !strings.Contains(out, "户籍人口信息") || !strings.Contains(out, "公安分局") {
			t.Errorf("records quality names no entry or department:\n%s", out)
		}
		if !strings.HasPrefix(byDept, "部门ID") || !strings.Contains(byDept, "人社局") {
			t.Errorf("records quality -by department names no department:\n%s", byDept)
		}
		// Stale entries, with their department and update frequency in Chinese.
		sqldbtest.Exec(t, db, `UPDATE record_entry_stats SET last_received_at = $1`, now.AddDate(0, 0, -30).UTC())
		if out := must("records", "stale"); !strings.Contains(out, "公安分局") || !strings.Contains(out, "每日") ||
			strings.Contains(out, "daily") || !strings.Contains(out, "2 个数据资源停更") {
			t.Errorf("records stale:\n%s", out)
		}
		// A department that publishes an entry and never pushes is listed,
		// its entry counted as published, not pushed, against its coverage.
		mzj := recordstest.Department(t, db, "民政局", 3)
		recordstest.Entry(t, db, mzj, recordstest.Spec{Code: "313001/000001", Name: "婚姻登记信息", SubjectKind: "person",
			Items: []records.Item{{Name: "身份证号", Type: "C", IdentifiesSubject: true}}})
		want = map[string]string{strconv.FormatInt(gaj, 10): "1 1 100%", strconv.FormatInt(mzj, 10): "1 0 0%"}
		got := columns(must("records", "quality", "-by", "department"), "已发布", "已推送", "覆盖率")
		if got[strconv.FormatInt(gaj, 10)] != want[strconv.FormatInt(gaj, 10)] || got[strconv.FormatInt(mzj, 10)] != want[strconv.FormatInt(mzj, 10)] {
			t.Errorf("records quality -by department: published, pushed, coverage %v, want %v", got, want)
		}
	})
}

// TestRecordsVerbFlags: records stale and quality read -entry and
// -department, as batches does, instead of listing every entry; a flag
// that a verb does not read (-limit but for batches, -by but for quality)
// is refused rather than ignored, as is a -before no page ends with (a
// negative one listed the newest batches). On both engines.
func TestRecordsVerbFlags(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		police := recordstest.Department(t, db, "公安分局", 1)
		civil := recordstest.Department(t, db, "民政局", 2)
		spec := func(code string) recordstest.Spec { s := hujiSpec; s.Code = code; return s }
		recordstest.Entry(t, db, police, spec("101001/000001"))
		recordstest.Entry(t, db, police, spec("101001/000002")) // receives nothing: stale
		recordstest.Entry(t, db, civil, spec("102001/000001"))
		recordstest.Entry(t, db, civil, spec("102001/000002")) // receives nothing: stale
		in := opsFile(t, addLine(recordstest.CitizenID(1), "张三"))
		must("import", "records", "-entry", "101001/000001", "-file", in)
		must("import", "records", "-entry", "102001/000001", "-file", in)
		for _, c := range []struct {
			args      []string
			want, not string
		}{
			{[]string{"records", "quality", "-entry", "101001/000001"}, "101001/000001", "102001/000001"},
			{[]string{"records", "quality", "-department", "民政局"}, "102001/000001", "101001/000001"},
			{[]string{"records", "quality", "-by", "department", "-department", "民政局"}, "民政局", "公安分局"},
			{[]string{"records", "stale", "-department", "公安分局"}, "101001/000002", "102001/000002"},
			{[]string{"records", "stale", "-entry", "102001/000002"}, "102001/000002", "101001/000002"},
			{[]string{"records", "stale", "-entry", "102001/000002", "-department", "公安分局"}, "0 个数据资源停更", "102001/000002"},
		} {
			if out := must(c.args...); !strings.Contains(out, c.want) || strings.Contains(out, c.not) {
				t.Errorf("hutong %s: want %s, not %s:\n%s", strings.Join(c.args, " "), c.want, c.not, out)
			}
		}
		for args, want := range map[string]string{
			"stale -limit 5":                              "-limit 只用于 records batches（用法见 hutong records stale -h）",
			"quality -before 3":                           "-before 只用于 records batches（用法见 hutong records quality -h）",
			"crosscheck -entry 101001/000001":             "-entry 只用于 records batches、stale、quality（用法见 hutong records crosscheck -h）",
			"batches -by department":                      "-by 只用于 records quality（用法见 hutong records batches -h）",
			"quality -by department -entry 101001/000001": "-entry 只用于 -by entry：按部门统计时请用 -department",
			"batches -before -1":                          "-before 应为批次号（上一页末尾“更早的批次：加 -before N”中的 N）",
		} {
			if out, err := hutong(t, vars, append([]string{"records"}, strings.Fields(args)...)...); err == nil || err.Error() != want {
				t.Errorf("hutong records %s: got %v, want %q\n%s", args, err, want, out)
			}
		}
	})
}

// TestImportRecordsKeyReused: a file imported with -key whose contents
// differ from the batch first imported under the key is refused, as the
// API refuses another body under an Idempotency-Key, and applies nothing;
// the CLI stores the digest the API computes for the same bytes, so that
// the file pushed again through the API under the key is a replay.
func TestImportRecordsKeyReused(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		dept := recordstest.Department(t, db, "公安分局", 1)
		entry := recordstest.Entry(t, db, dept, hujiSpec)
		dir := t.TempDir()
		first, changed := addLine(recordstest.CitizenID(0), "张三"), addLine(recordstest.CitizenID(0), "李四")
		in := filepath.Join(dir, "a.jsonl")
		if err := os.WriteFile(in, []byte(first), 0o644); err != nil {
			t.Fatal(err)
		}
		must("import", "records", "-entry", "101001/000001", "-file", in, "-key", "k1")
		if err := os.WriteFile(in, []byte(changed), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := hutong(t, vars, "import", "records", "-entry", "101001/000001", "-file", in, "-key", "k1")
		if err == nil || message(err) != "-key：已用于另一个批次（批次 1），请为新的批次使用新的键" {
			t.Errorf("another file under a used key: %v\n%s", err, out)
		}
		// The key's errors name the flag, not the API's header.
		out, err = hutong(t, vars, "import", "records", "-entry", "101001/000001", "-file", in, "-key", strings.Repeat("k", 129))
		if err == nil || message(err) != "-key：不能超过128个字符，不能含有控制字符、非字符（如 U+FFFF）或无效的字符编码" {
			t.Errorf("a key too long: %v\n%s", err, out)
		}
		if out := must("records", "batches"); strings.Count(strings.TrimSpace(out), "\n") != 1 {
			t.Errorf("the changed file was applied:\n%s", out)
		}
		// The API's digest of the first file's bytes is the stored one.
		body, err := records.Spool(strings.NewReader(first))
		if err != nil {
			t.Fatal(err)
		}
		defer body.Close()
		res, err := records.IngestSpooled(context.Background(), db, records.Pusher{Actor: audit.Actor{Kind: "cli", ID: "test"}, DepartmentID: dept},
			entry, body, records.JSONLines, time.Now(), records.Options{BatchKey: "k1"})
		if err != nil || !res.Replayed {
			t.Errorf("the first file through the API under its key: %+v, %v", res, err)
		}
	})
}

// TestRecordsEntryByIDNotFound: -entry given as an id that no entry has is
// refused as an unknown resource code is, where batches, stale and quality
// listed nothing and exited 0.
func TestRecordsEntryByIDNotFound(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		id := recordstest.Entry(t, db, recordstest.Department(t, db, "公安分局", 1), hujiSpec)
		for _, verb := range []string{"batches", "stale", "quality"} {
			for _, ref := range []string{"99999", "101001/999999"} {
				out, err := hutong(t, vars, "records", verb, "-entry", ref)
				if err == nil || message(err) != "数据资源 "+ref+" 不存在" {
					t.Errorf("records %s -entry %s: %v\n%s", verb, ref, err, out)
				}
			}
			must("records", verb, "-entry", strconv.FormatInt(id, 10))
		}
	})
}

// TestImportRecordsErrorCount: the summary of a refused file counts its
// errors as errors, not as lines: a header naming two unknown items over
// one data line has two errors, where it said 共 1 行，其中 2 行有错误.
func TestImportRecordsErrorCount(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		recordstest.Entry(t, db, recordstest.Department(t, db, "公安分局", 1), hujiSpec)
		in := tempFile(t, "bad.csv", "op,subject_id,produced_at,姓名,曾用名,籍贯\n"+
			"add,"+recordstest.CitizenID(0)+",2026-03-02 10:00:00,张三,张山,福建\n")
		out, err := hutong(t, vars, "import", "records", "-entry", "101001/000001", "-file", in)
		if !errors.Is(err, errReported) || !strings.Contains(out, "共 1 行，其中 1 行有错误，发现 2 处错误，整批未导入任何数据") {
			t.Errorf("a header with two unknown items: %v\n%s", err, out)
		}
	})
}

// TestRecordsUsageNamesFlags: hutong help records names, under each verb,
// every flag the verb reads; -before, which records batches itself
// suggests (更早的批次：加 -before N), was missing.
func TestRecordsUsageNamesFlags(t *testing.T) {
	out := mustHutong(t, nil)("help", "records")
	_, verbs, _ := strings.Cut(out, "Verbs:\n")
	verbs, _, _ = strings.Cut(verbs, "\n\n")
	text := map[string]string{} // a verb's lines
	var verb string
	for _, line := range strings.Split(verbs, "\n") {
		if w := strings.Fields(line); len(w) > 0 && !strings.HasPrefix(line, "    ") {
			verb = w[0]
		}
		text[verb] += line + "\n"
	}
	for flag, vs := range recordsFlagVerbs {
		for _, v := range vs {
			if !regexp.MustCompile(`\[?-` + flag + `\b`).MatchString(text[v]) {
				t.Errorf("hutong help records does not name -%s under %s:\n%s", flag, v, text[v])
			}
		}
	}
}

// TestImportRecordsFormatByExtension: import records reads a file by its
// extension and refuses what it cannot tell, where a workbook or a .txt
// file was read as JSON lines, an error on every line; a CSV file named
// .jsonl is one error saying it looks like CSV.
func TestImportRecordsFormatByExtension(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		recordstest.Entry(t, db, recordstest.Department(t, db, "公安分局", 1), hujiSpec)
		dir := t.TempDir()
		csvText := "op,subject_id,produced_at,姓名\n" +
			"add," + recordstest.CitizenID(0) + ",2026-03-02 10:00:00,张三\n" +
			"add," + recordstest.CitizenID(1) + ",2026-03-02 10:00:00,李四\n"
		for _, tt := range []struct{ name, body, says string }{
			{"a.xlsx", "PK\x03\x04\x14\x00\x06\x00", "Excel 工作簿"},
			{"a.txt", csvText, "无法根据扩展名判断"},
			{"a", csvText, "无法根据扩展名判断"},
			{"a.jsonl", csvText, "看来是 CSV 文件（以逗号分隔的表头或数据行，不是 JSON 对象）：JSON Lines 批次的每一行应是一个 JSON 对象；CSV 文件请使用扩展名 .csv 导入"},
		} {
			in := filepath.Join(dir, tt.name)
			if err := os.WriteFile(in, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := hutong(t, vars, "import", "records", "-entry", "101001/000001", "-file", in)
			if err == nil || !strings.Contains(out+err.Error(), tt.says) || strings.Count(out, "JSON 格式错误") > 0 {
				t.Errorf("%s: %v\n%s\nwant an error saying %s", tt.name, err, out, tt.says)
			}
		}
		in := filepath.Join(dir, "b.CSV")
		if err := os.WriteFile(in, []byte(csvText), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := hutong(t, vars, "import", "records", "-entry", "101001/000001", "-file", in); err != nil || !strings.Contains(out, "已导入 2 条操作") {
			t.Errorf(".CSV: %v\n%s", err, out)
		}
	})
}
