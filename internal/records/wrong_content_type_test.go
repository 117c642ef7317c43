package records_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestWrongContentType: a CSV file or an Excel workbook sent as JSON
// Lines, and JSON lines sent as CSV, are one error of the batch, counted
// once against the entry's validity, that says what the body looks like
// and what the format read expects, not an error on every line; how to
// send it otherwise is the channel's to say (Advise), so the reason names
// no Content-Type, file extension or command.
func TestWrongContentType(t *testing.T) {
	var csvBody, jsonBody strings.Builder
	csvBody.WriteString("op,subject_id,produced_at,姓名\n")
	for i := 1; i <= 300; i++ {
		fmt.Fprintf(&csvBody, "add,%s,2026-03-02 10:00:00,张三\n", recordstest.CitizenID(i))
		fmt.Fprintf(&jsonBody, `{"op":"add","subject_id":"%s","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张三"}}`+"\n", recordstest.CitizenID(i))
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		for i, tt := range []struct {
			name, body string
			read       func(io.Reader) records.Source
			code, says string
		}{
			{"csv as ndjson", csvBody.String(), records.JSONLines, "json_is_csv", "JSON Lines 批次的每一行应是一个 JSON 对象"},
			{"csv without header as ndjson", strings.SplitN(csvBody.String(), "\n", 2)[1], records.JSONLines, "json_is_csv", "CSV"},
			{"xlsx as ndjson", "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\n\n\n", records.JSONLines, "json_spreadsheet", "批次是 Excel 工作簿"},
			{"xls as ndjson", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\n\n", records.JSONLines, "json_spreadsheet", "批次是 Excel 97-2003"},
			{"ndjson as csv", "\ufeff" + jsonBody.String(), records.CSV, "csv_is_json", "CSV 批次的第一行应是表头"},
			{"array as csv", "[" + strings.TrimSuffix(strings.ReplaceAll(jsonBody.String(), "\n", ","), ",") + "]", records.CSV, "csv_is_json", "JSON"},
		} {
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, tt.read(strings.NewReader(tt.body)), f.receivedAt, records.Options{})
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if res.RejectedCount != 1 || res.RejectedLines != 1 || len(res.Rejected) != 1 || res.Rejected[0].Code != tt.code ||
				!strings.Contains(res.Rejected[0].Reason, tt.says) || res.Applied != 0 {
				t.Errorf("%s: %d errors, %d refused lines, %+v; want one %s saying %s", tt.name, res.RejectedCount, res.RejectedLines, res.Rejected[:min(len(res.Rejected), 2)], tt.code, tt.says)
			}
			for _, channel := range []string{"Content-Type", "扩展名为", "命令行", "推送", "上传"} {
				if len(res.Rejected) == 1 && strings.Contains(res.Rejected[0].Reason, channel) {
					t.Errorf("%s: %q says %s, a channel's advice", tt.name, res.Rejected[0].Reason, channel)
				}
			}
			if len(res.Rejected) == 1 {
				reason := res.Rejected[0].Reason
				res.Advise(map[string]string{tt.code: "建议", "other": "不相干"})
				if res.Rejected[0].Reason != reason+"；建议" {
					t.Errorf("%s: advised %q, want %q", tt.name, res.Rejected[0].Reason, reason+"；建议")
				}
			}
			q, err := records.EntryQuality(f.ctx, db.Read(), nil, f.hj, 0, f.receivedAt)
			if err != nil {
				t.Fatal(err)
			}
			if q[0].RejectedLines != int64(i+1) {
				t.Errorf("%s: rejected lines %d, want %d", tt.name, q[0].RejectedLines, i+1)
			}
		}
		// The right type still reads.
		res := f.push(f.pusher, f.hj, jsonBody.String(), records.Options{})
		if res.Applied != 300 {
			t.Errorf("JSON lines: %+v", res)
		}
	})
}
