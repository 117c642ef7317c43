package records_test

import (
	"io"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestValueErrorField: every error of a value names the item as the entry
// lists it (姓名, the CSV column), never its JSON path (values.姓名), in a
// JSON line and a CSV row alike, and its reason names the item too:
// invalid_text (a control character, a lone surrogate, a byte that is not
// UTF-8) was named values.姓名 where invalid_value and value_too_long were
// named 姓名.
func TestValueErrorField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		line := func(values string) string {
			return `{"op":"add","subject_id":"` + p1 + `","produced_at":"2026-03-02T10:00:00+08:00","values":{` + values + `}}` + "\n"
		}
		row := func(cells string) string {
			return "op,subject_id,produced_at,姓名,出生日期\nadd," + p1 + ",2026-03-02 10:00:00," + cells + "\n"
		}
		for _, tt := range []struct {
			name, body string
			read       func(io.Reader) records.Source
			code, item string
		}{
			{"json control", line(`"姓名":"张\u0001三"`), records.JSONLines, "invalid_text", "姓名"},
			{"json surrogate", line(`"姓名":"张\ud800三"`), records.JSONLines, "invalid_text", "姓名"},
			{"json not utf-8", line("\"姓名\":\"张\xff三\""), records.JSONLines, "invalid_text", "姓名"},
			{"json date", line(`"姓名":"张三","出生日期":"某日"`), records.JSONLines, "invalid_value", "出生日期"},
			{"json object", line(`"姓名":"张三","出生日期":{}`), records.JSONLines, "invalid_value", "出生日期"},
			{"json too long", line(`"姓名":"张三张三张三张三张三张"`), records.JSONLines, "value_too_long", "姓名"},
			{"csv control", row("张\x01三,"), records.CSV, "invalid_text", "姓名"},
			{"csv date", row("张三,某日"), records.CSV, "invalid_value", "出生日期"},
			{"csv too long", row("张三张三张三张三张三张,"), records.CSV, "value_too_long", "姓名"},
		} {
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, tt.read(strings.NewReader(tt.body)), f.receivedAt, records.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.RejectedCount != 1 || res.Rejected[0].Code != tt.code || res.Rejected[0].Field != tt.item ||
				!strings.Contains(res.Rejected[0].Reason, "“"+tt.item+"”") || strings.Contains(res.Rejected[0].Reason, "values.") {
				t.Errorf("%s: %+v, want %s of %s naming it", tt.name, res.Rejected, tt.code, tt.item)
			}
		}
	})
}
