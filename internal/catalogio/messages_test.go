package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBadFileMessagesInChinese: a JSON line or a CSV file that cannot be
// read is reported in Chinese, naming no Go type and repeating none of
// the decoders' English.
func TestBadFileMessagesInChinese(t *testing.T) {
	w := newWorld(t, sqldbtest.SQLite(t))
	for _, c := range []struct {
		name   string
		format catalogio.Format
		data   string
		want   string
	}{
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
		for _, m := range msgs {
			for _, leak := range []string{"Go ", "json:", "jsonLine", "catalogio.", "invalid character", "parse error", "quoted-field"} {
				if strings.Contains(m, leak) {
					t.Errorf("%s: message %q contains %q", c.name, m, leak)
				}
			}
		}
	}
}

// TestRejectedMessage: a rejected import says what was wrong in a sentence:
// rows with errors, or the file's problems when no row could be read, and
// whether it was a dry run.
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
			"文件有 2 处问题，未导入任何数据；请修正后重新导入，或选择只导入无误的行"},
		{"file, dry run", catalogio.JSONL, "garbage\n[1]\n", catalogio.Options{DryRun: true},
			"试导入：文件有 2 处问题；请修正后重新导入，或选择只导入无误的行"},
	} {
		_, err := importFile(w, w.gaj, []byte(c.data), c.format, c.opt)
		if e := errs.As(err); e == nil || e.Code != "import_rejected" || e.Message != c.want {
			t.Errorf("%s: %v, want import_rejected %q", c.name, err, c.want)
		}
	}
}
