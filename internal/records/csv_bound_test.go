package records_test

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
)

// TestCSVRecordBounds: encoding/csv reads a record whole and makes a
// string of each field before the batch can refuse it: a row of add and
// 8,000,000 commas, 8 MB, allocated 1.1 GB and was refused (422) only
// then; a value of 8 MB was read whole though a JSON Lines batch refuses
// a line over 1 MiB. A CSV batch's record over 1 MiB is line_too_long now
// (on the row it begins on, as Excel numbers rows: a quoted line break
// before it starts no row; until 2026-12-06 its file line), one
// with more than 4,096 fields malformed_csv, a header too, each an error
// of the whole batch, as a JSON line too long is, allocating under 64 MB;
// the rows before it are read.
func TestCSVRecordBounds(t *testing.T) {
	const head = "op,subject_id,produced_at,姓名\nadd,A,2026-03-02T10:00:00+08:00,\"张\n三\"\n"
	for _, c := range []struct {
		what, body string
		ops        int
		code, msg  string
	}{
		{"commas", head + "add," + strings.Repeat(",", 8_000_000) + "\n", 1, "malformed_csv", "应有 4 列，实有超过 4096 列"},
		{"value", head + "add,B,2026-03-02T10:00:00+08:00," + strings.Repeat("张", 3_000_000) + "\n", 1, "line_too_long", "第 3 行超过 1 MiB"},
		{"quoted value", head + "\n" + "add,B,2026-03-02T10:00:00+08:00,\"" + strings.Repeat("张\n", 2_000_000) + "\"\n", 1, "line_too_long", "第 4 行超过 1 MiB"},
		{"header", "op,subject_id,produced_at" + strings.Repeat(",", 8_000_000) + "\n", 0, "malformed_csv", "CSV 表头（第 1 行）超过 4096 列"},
	} {
		var ops, line int
		var err error
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		src := records.CSV(strings.NewReader(c.body))
		for {
			var op records.Op
			line, err = src.Next(&op)
			if err != nil {
				break
			}
			ops++
		}
		runtime.ReadMemStats(&after)
		n := after.TotalAlloc - before.TotalAlloc
		t.Logf("%s: allocated %d KB", c.what, n>>10)
		if n > 64<<20 {
			t.Errorf("%s: allocated %d MB, want under 64 MB", c.what, n>>20)
		}
		if e := errs.As(err); e == nil || e.Code != c.code || e.Message != c.msg || errors.Is(err, io.EOF) {
			t.Errorf("%s: got %v on line %d, want %s: %s", c.what, err, line, c.code, c.msg)
		}
		if ops != c.ops {
			t.Errorf("%s: read %d operations before, want %d", c.what, ops, c.ops)
		}
	}
}

// TestCSVRecordBoundAsUploaded: a CSV batch's record is bounded by its
// bytes as uploaded, not as decoded: a GB18030 record of 800 KB, 1.2 MB
// once decoded to UTF-8, was refused line_too_long; it is read now, and
// one of 1 MiB and a byte, its line break aside, is refused.
func TestCSVRecordBoundAsUploaded(t *testing.T) {
	const head = "op,subject_id,produced_at,姓名\r\n"
	const row = "add,B,2026-03-02T10:00:00+08:00,"
	for _, c := range []struct {
		what string
		body string
		code string
	}{
		{"800 KB", head + row + strings.Repeat("张", 400_000) + "\r\n", ""},
		{"1 MiB", head + row + strings.Repeat("张", (1<<20-len(row))/2) + "\r\n", ""},
		{"1 MiB and a byte", head + row + strings.Repeat("张", (1<<20-len(row))/2) + "x\r\n", "line_too_long"},
	} {
		gb, err := simplifiedchinese.GB18030.NewEncoder().String(c.body)
		if err != nil {
			t.Fatal(err)
		}
		src := records.CSV(strings.NewReader(gb))
		ops := 0
		for {
			var op records.Op
			if _, err = src.Next(&op); err != nil {
				break
			}
			ops++
		}
		switch e := errs.As(err); {
		case c.code == "" && (err != io.EOF || ops != 1):
			t.Errorf("%s: %d operations, %v, want 1 read", c.what, ops, err)
		case c.code != "" && (e == nil || e.Code != c.code || e.Message != "第 2 行超过 1 MiB"):
			t.Errorf("%s: %v, want %s of line 2", c.what, err, c.code)
		}
	}
}
