package records_test

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
)

// drain reads a batch source to its end and checks the invariants every
// source keeps whatever the input: no panic, line numbers that only grow,
// line errors that name their line, and an end.
func drain(t *testing.T, src records.Source, lines int) {
	last := 0
	for i := 0; ; i++ {
		if i > lines+1 {
			t.Fatalf("source yielded more operations (%d) than the input has lines (%d)", i, lines)
		}
		var op records.Op
		line, err := src.Next(&op)
		if errors.Is(err, io.EOF) {
			return
		}
		if line <= last {
			t.Fatalf("line %d after line %d", line, last)
		}
		last = line
		var le *records.LineError
		if errors.As(err, &le) && le.Line != line {
			t.Fatalf("line error names line %d, source says %d", le.Line, line)
		}
		if err != nil && le == nil {
			return // a failure of the whole input, such as an over-long line
		}
	}
}

func FuzzJSONLines(f *testing.F) {
	f.Add([]byte(`{"op":"add","subject_id":"11010519491231002X","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张三","年龄":30}}`))
	f.Add([]byte("{\"op\":\"cancel\",\"subject_id\":\"x\"}\n\n{\"op\":\"change\",\"values\":{\"a\":true,\"b\":null}}\n{bad"))
	f.Add([]byte(`{"op":"add","values":{"a":[1]},"extra":1}`))
	f.Add([]byte("\xef\xbb\xbf{\"op\":\"add\"}\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		drain(t, records.JSONLines(bytes.NewReader(b)), bytes.Count(b, []byte("\n"))+1)
	})
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("op,subject_id,produced_at,姓名\nadd,11010519491231002X,2026-03-02T10:00:00+08:00,张三\n"))
	f.Add([]byte("op,subject_id\ncancel,x\n\"unterminated\n"))
	f.Add([]byte("subject_id\nx,y,z\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, b []byte) {
		drain(t, records.CSV(bytes.NewReader(b)), bytes.Count(b, []byte("\n"))+1)
	})
}

// TestFuzzCSVSeeds checks that FuzzCSV's corpus in testdata/fuzz/FuzzCSV
// starts its short CI runs in each way CSV tells files apart: GBK (read as
// GB18030), a UTF-8 header over a GBK line (all read as GB18030, the header
// garbled, as encodingNote explains), UTF-16 with
// either byte order mark, an .xlsx or .xls workbook renamed .csv, another
// separator than the comma, and UTF-8 with its byte order mark.
func TestFuzzCSVSeeds(t *testing.T) {
	want := map[string]string{ // by file: the first operation's 姓名, or the refusal's code or words
		"gbk": "张三", "gbk-excel": "李四", "utf8-bom": "张三",
		"utf8-then-gbk": "header garbled",
		"utf16le-bom":   "csv_utf16", "utf16be-bom": "csv_utf16",
		"xlsx": "csv_spreadsheet", "xls": "csv_spreadsheet",
		"semicolon": "csv_delimiter",
	}
	for name, w := range want {
		b, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzCSV", name))
		if err != nil {
			t.Error(err)
			continue
		}
		lit, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "go test fuzz v1\n[]byte(")
		input, err := strconv.Unquote(strings.TrimSuffix(lit, ")"))
		if !ok || err != nil {
			t.Errorf("%s: not a corpus file of one []byte (%v)", name, err)
			continue
		}
		var op records.Op
		_, err = records.CSV(strings.NewReader(input)).Next(&op)
		got := op.Values["姓名"]
		if _, named := op.Values["姓名"]; !named && slices.Contains(slices.Collect(maps.Values(op.Values)), "张三") {
			got = "header garbled" // UTF-8 read as GB18030, the line after it GBK
		}
		var e *errs.Error
		if errors.As(err, &e) {
			got = e.Code
		}
		if got != w {
			t.Errorf("%s: first operation %+v, error %v; want %s", name, op, err, w)
		}
	}
}
