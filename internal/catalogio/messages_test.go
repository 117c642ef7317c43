package catalogio_test

import (
	"archive/zip"
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBadFileMessagesInChinese: a JSON line, a CSV file or a workbook
// that cannot be read is reported in Chinese, naming no Go type and
// repeating none of the decoders' English, also where the console reads a
// file's headers for a column mapping.
func TestBadFileMessagesInChinese(t *testing.T) {
	w := newWorld(t, sqldbtest.SQLite(t))
	notWorkbook := "文件不是 XLSX 工作簿，或已损坏：请在 Excel 或 WPS 中另存为“Excel 工作簿（*.xlsx）”后再导入，或导出为 CSV 文件导入"
	for _, c := range []struct {
		name   string
		format catalogio.Format
		data   string
		want   string
	}{
		{"text as xlsx", catalogio.XLSX, "资源名称,摘要\n户籍,摘要\n", notWorkbook},
		{"zip without a workbook", catalogio.XLSX, zipOf(t, "readme.txt", "hello"), notWorkbook},
		{"old xls", catalogio.XLSX, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + strings.Repeat("\x00", 512),
			"文件是旧版 Excel 工作簿（.xls）或设有打开密码：请在 Excel 或 WPS 中去掉密码、另存为“Excel 工作簿（*.xlsx）”后再导入"},
		{"truncated xlsx", catalogio.XLSX, string(truncatedWorkbook(t)), notWorkbook},
		{"wrong type", catalogio.JSONL, "{\"name\": 1}\n", "不是有效的 JSON 对象：字段 name 的类型应为字符串，实为数字"},
		{"not json", catalogio.JSONL, "garbage\n", "不是有效的 JSON 对象：JSON 格式错误（第 1 字节附近）"},
		{"an array", catalogio.JSONL, "[1]\n", "不是有效的 JSON 对象：JSON 的类型应为对象，实为数组"},
		{"bad quotes", catalogio.CSV, "资源名称,摘要\n\"a,b\n",
			`CSV 格式错误（第 2 行附近）：引号（"）不成对：加引号的字段没有结束，或其中的引号没有写成两个（""）`},
	} {
		rep, _ := importFile(w, w.gaj, []byte(c.data), c.format, catalogio.Options{})
		var msgs []string
		found := false
		for _, e := range rep.Errors {
			msgs = append(msgs, e.Message)
			found = found || e.Message == c.want
		}
		if !found {
			t.Errorf("%s: messages %q, want %q", c.name, msgs, c.want)
		}
		if c.format == catalogio.XLSX {
			_, err := catalogio.ReadHeaders([]byte(c.data), c.format)
			if e := errs.As(err); e == nil || e.Message != c.want {
				t.Errorf("%s: headers: %v, want %q", c.name, err, c.want)
			} else {
				msgs = append(msgs, e.Message)
			}
		}
		for _, m := range msgs {
			for _, leak := range []string{"Go ", "json:", "jsonLine", "catalogio.", "invalid character", "parse error",
				"quoted-field", "zip", "EOF", "xml", "excelize", "unsupported", "workbook"} {
				if strings.Contains(m, leak) {
					t.Errorf("%s: message %q contains %q", c.name, m, leak)
				}
			}
		}
	}
}

// zipOf is a zip archive of one file: no workbook.
func zipOf(t *testing.T, name, content string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// truncatedWorkbook is the first half of a workbook.
func truncatedWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", "资源名称"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()[:buf.Len()/2]
}

// TestOneErrorPerProblem: a value the import cannot read is one error of
// its cell, in the workbook's words: the value quoted and the labels a user
// may write, not a second error of the catalog's that contradicts it (其他
// and 领域名称, not 99) or names codes (person, legal_entity).
func TestOneErrorPerProblem(t *testing.T) {
	w := newWorld(t, sqldbtest.SQLite(t))
	bad := func(name, from, to string) string {
		row := strings.Replace(good(name), from, to, 1)
		if row == good(name) {
			t.Fatalf("%s: %q not in the row", name, from)
		}
		return row
	}
	file := csvHeader +
		bad("领域", ",公共安全,,", ",火星,,") +
		bad("格式", ",电子表格,", ",link,") +
		bad("类型", ",C,20,", ",X,20,") +
		bad("主体", ",不涉及,", ",外星人,") +
		bad("无主体", ",不涉及,", ",,") +
		bad("无领域", ",公共安全,,", ",,,") +
		bad("级别", ",1,政务外网,", ",9,政务外网,") +
		bad("网络", ",政务外网,", ",火星网,")
	rep, _ := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
	want := map[int]struct{ column, code, has string }{
		2: {"所属领域", "unknown_value", "填“其他”并在“领域名称”中写明"},
		3: {"资源格式", "unknown_value", "应为电子文件、电子表格、数据库、图形图像、流媒体、自描述格式或服务接口"},
		4: {"数据类型", "unknown_value", "应为 C N Y D T L M G B I F 之一"},
		5: {"数据主体", "unknown_value", "应为自然人、法人和其他组织或不涉及"},
		6: {"数据主体", "invalid_subject_kind", "主体类型应为自然人、法人和其他组织或不涉及"},
		7: {"所属领域", "invalid_domain", "填“其他”并在“领域名称”中写明"},
		8: {"安全级别", "unknown_value", "应为1至4级"},
		9: {"网络环境", "unknown_value", "应为互联网、政务外网或部门专网"},
	}
	byRow := map[int][]catalogio.RowError{}
	for _, e := range rep.Errors {
		byRow[e.Row] = append(byRow[e.Row], e)
	}
	quoted := regexp.MustCompile(`“[^”]*”`)
	codes := regexp.MustCompile(`[a-z_]{2,}|99`)
	for row, w := range want {
		es := byRow[row]
		if len(es) != 1 {
			t.Errorf("row %d: %d errors, want one: %v", row, len(es), es)
			continue
		}
		e := es[0]
		if e.Column != w.column || e.Code != w.code || !strings.Contains(e.Message, w.has) {
			t.Errorf("row %d: %s %s %q, want %s %s with %q", row, e.Column, e.Code, e.Message, w.column, w.code, w.has)
		}
		if c := codes.FindString(quoted.ReplaceAllString(e.Message, "")); c != "" {
			t.Errorf("row %d: message %q names the code %q", row, e.Message, c)
		}
	}
	if len(byRow) != len(want) {
		t.Errorf("errors on rows %v, want rows 2 to 9 only", rep.Errors)
	}
}

// TestMappingDefaultFields: a default of a name that is no field (资源分类
// for 资源分类（类）, 网络) says that no such field exists and lists those
// that take defaults, rather than that the field may have none; a field
// that takes none (资源名称, an item's 说明, which the import never fills
// in) says so, with the same list.
func TestMappingDefaultFields(t *testing.T) {
	const list = "可设默认值的字段：数源部门、摘要、资源分类（类）、"
	for _, c := range []struct {
		key, code, msg string
	}{
		{"资源分类", "unknown_field", "没有名为“资源分类”的字段；" + list},
		{"网络", "unknown_field", "没有名为“网络”的字段；" + list},
		{"资源名称", "default_not_allowed", "字段“资源名称”不能设默认值；" + list},
		{"item.description", "default_not_allowed", "字段“说明”不能设默认值；" + list},
	} {
		m := catalogio.Mapping{Name: "-map", Defaults: map[string]string{c.key: "政务外网"}}
		e := errs.As(m.Validate())
		if e == nil || e.Code != c.code || e.Field != "defaults" || !strings.HasPrefix(e.Message, c.msg) {
			t.Errorf("default of %s: %v, want %s %q…", c.key, e, c.code, c.msg)
			continue
		}
		_, list, _ := strings.Cut(e.Message, "可设默认值的字段：")
		listed := strings.Split(list, "、")
		for _, f := range []string{"网络环境", "所属领域", "数据类型", "长度"} {
			if !slices.Contains(listed, f) {
				t.Errorf("default of %s: %q does not list %s", c.key, e.Message, f)
			}
		}
		for _, f := range []string{"资源名称", "资源代码", "信息项", "信息项名称", "说明"} {
			if slices.Contains(listed, f) {
				t.Errorf("default of %s: %q lists %s, which takes no default", c.key, e.Message, f)
			}
		}
	}
	m := catalogio.Mapping{Name: "-map", Defaults: map[string]string{"网络环境": "政务外网", "提供部门": "佛山市公安局南海分局",
		"数据类型": "C", "长度": "20", "share_type": "无条件共享"}}
	if err := m.Validate(); err != nil {
		t.Errorf("defaults of fields that take them: %v", err)
	}
}

// TestRejectedMessage: a rejected import says what was wrong in a sentence:
// rows with errors, or the file's problems when no row could be read, and
// whether it was a dry run. It offers to import the good rows only when
// there are some: not for a file no entry could be read from.
func TestRejectedMessage(t *testing.T) {
	w := newWorld(t, sqldbtest.SQLite(t))
	for _, c := range []struct {
		name   string
		format catalogio.Format
		data   string
		opt    catalogio.Options
		want   string
	}{
		{"file", catalogio.JSONL, "garbage\n[1]\n", catalogio.Options{},
			"文件有 2 处问题，未导入任何数据；请修正后重新导入"},
		{"file, dry run", catalogio.JSONL, "garbage\n[1]\n", catalogio.Options{DryRun: true},
			"试导入：文件有 2 处问题；请修正后重新导入"},
		{"not a workbook", catalogio.XLSX, "garbage", catalogio.Options{},
			"文件有 1 处问题，未导入任何数据；请修正后重新导入"},
		{"no name column", catalogio.CSV, "摘要\n户籍\n", catalogio.Options{},
			"文件有 1 处问题，未导入任何数据；请修正后重新导入"},
		{"bad rows", catalogio.CSV, csvHeader + good("好行") + strings.Replace(good("坏行"), ",C,20,", ",X,20,", 1),
			catalogio.Options{}, "1 个数据资源有错误、共 1 处问题，未导入任何数据；请修正后重新导入，或选择只导入无误的行"},
		{"a bad line among good ones", catalogio.JSONL, "garbage\n" + goodLine(t, w), catalogio.Options{},
			"文件有 1 处问题，未导入任何数据；请修正后重新导入，或选择只导入无误的行"},
		{"every row bad", catalogio.CSV, csvHeader + strings.Replace(good("坏行"), ",C,20,", ",X,20,", 1),
			catalogio.Options{}, "1 个数据资源有错误、共 1 处问题，未导入任何数据；请修正后重新导入"},
	} {
		_, err := importFile(w, w.gaj, []byte(c.data), c.format, c.opt)
		if e := errs.As(err); e == nil || e.Code != "import_rejected" || e.Message != c.want {
			t.Errorf("%s: %v, want import_rejected %q", c.name, err, c.want)
		}
	}
}

// goodLine is the JSON line of a valid entry, as the export writes it.
func goodLine(t *testing.T, w *world) string {
	t.Helper()
	src := newWorld(t, sqldbtest.SQLite(t))
	create(t, src, src.gaj, resources()[0])
	return string(export(t, src, src.gaj, catalogio.JSONL, catalogio.ExportOptions{}))
}
