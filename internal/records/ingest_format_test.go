package records_test

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
)

// utf16LE is s in UTF-16LE with its byte order mark, as Excel saves
// "Unicode 文本".
func utf16LE(s string) string {
	b := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

// TestWrongFileFormat: a file that is no CSV (UTF-16 text, an Excel
// workbook renamed .csv, columns separated by semicolons or tabs), or a
// JSON batch that is no JSON Lines (a top-level array, a pretty-printed
// object), is refused as such with a stable code and what to do, not as a
// CSV header missing op or a JSON error on every line.
func TestWrongFileFormat(t *testing.T) {
	const row = "add,110101199003070038,2026-03-02 10:00:00,张三\n"
	for _, tt := range []struct {
		name, body string
		csv        bool
		code, says string
		line       int // 0 for 1
	}{
		{"utf16", utf16LE("op\tsubject_id\tproduced_at\t姓名\r\nadd\t110101199003070038\t2026-03-02 10:00:00\t张三\r\n"), true, "csv_utf16", "UTF-16", 0},
		{"utf16be", "\xfe\xff\x00o\x00p", true, "csv_utf16", "UTF-16", 0},
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", true, "csv_spreadsheet", "文件是 Excel 工作簿", 0},
		{"xls", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", true, "csv_spreadsheet", "文件是 Excel 97-2003 工作簿", 0},
		{"semicolon", "op;subject_id;produced_at;姓名\nadd;110101199003070038;2026-03-02 10:00:00;张三\n", true, "csv_delimiter", "分号", 0},
		{"tab", "op\tsubject_id\tproduced_at\t姓名\n" + strings.ReplaceAll(row, ",", "\t"), true, "csv_delimiter", "制表符", 0},
		{"array", "\ufeff [\n" + `{"op":"add","subject_id":"110101199003070038","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张三"}}` + "\n]\n", false, "json_not_lines", "JSON Lines", 0},
		{"pretty", "{\n  \"op\": \"add\",\n  \"subject_id\": \"110101199003070038\",\n  \"produced_at\": \"2026-03-02T10:00:00+08:00\",\n  \"values\": {\"姓名\": \"张三\"}\n}\n", false, "json_not_lines", "JSON Lines", 0},
		{"pretty-brace", "\n{ \"op\": \"add\",\n  \"subject_id\": \"110101199003070038\",\n  \"produced_at\": \"2026-03-02T10:00:00+08:00\" }\n", false, "json_not_lines", "JSON Lines", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := records.JSONLines(strings.NewReader(tt.body))
			if tt.csv {
				src = records.CSV(strings.NewReader(tt.body))
			}
			var op records.Op
			line, err := src.Next(&op)
			e := errs.As(err)
			want := max(tt.line, 1)
			if e == nil || e.Code != tt.code || !strings.Contains(e.Message, tt.says) || line != want {
				t.Fatalf("got line %d, %v; want line %d %s saying %s", line, err, want, tt.code, tt.says)
			}
			if tt.csv && !strings.Contains(e.Message, "另存为") {
				t.Errorf("message %q does not say how to save the file", e.Message)
			}
			if !tt.csv && !strings.Contains(e.Message, "一行") {
				t.Errorf("message %q does not say one operation a line", e.Message)
			}
		})
	}
	// A CSV whose header is fine and a JSON Lines batch whose first line
	// is malformed are read as before.
	var op records.Op
	if _, err := records.CSV(strings.NewReader("op,subject_id,produced_at,姓名\n" + row)).Next(&op); err != nil {
		t.Errorf("CSV: %v", err)
	}
	_, err := records.JSONLines(strings.NewReader(`{"op":"add",` + "\n")).Next(&op)
	if le, ok := err.(*records.LineError); !ok || le.Code == "json_not_lines" {
		t.Errorf("malformed first line: %v, want its line error", err)
	}
}
