package web_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUploadWrongFormatWording: a file uploaded in the console whose body
// is not the format its extension names is refused with the console's
// advice (rename the file, or save the workbook as CSV, and upload it
// again), never the API's Content-Type nor the command line's, which the
// form offers no way to follow. On both engines.
func TestUploadWrongFormatWording(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		code := entryCode(t, db, peopleEntry(t, f))
		c := f.client(t)
		tok := c.login("police.admin")
		csv := "op,subject_id,produced_at,姓名\nadd,a,2026-03-02 10:00:00,张三\nadd,b,2026-03-02 10:00:00,李四\n"
		jsonl := `{"op":"add","subject_id":"a","produced_at":"2026-03-02 10:00:00","values":{"姓名":"张三"}}` + "\n"
		for _, tt := range []struct{ name, body, code, says string }{
			{"p.csv", "PK\x03\x04rest of a zip", "csv_spreadsheet", "上传另存的 .csv 文件"},
			{"p.jsonl", "PK\x03\x04rest of a zip", "json_spreadsheet", "上传另存的 .csv 文件"},
			{"p.jsonl", csv, "json_is_csv", "扩展名改为 .csv 后重新上传"},
			{"p.csv", jsonl, "csv_is_json", "扩展名改为 .jsonl 后重新上传"},
		} {
			r := c.upload("/records/upload", tok, tt.name, []byte(tt.body), "entry", code)
			if r.Status != 422 || !strings.Contains(r.Body, tt.code) || !strings.Contains(r.Body, tt.says) {
				t.Errorf("%s (%s): %d, want 422 %s saying %s\n%s", tt.name, tt.code, r.Status, tt.code, tt.says, r.Body)
			}
			for _, other := range []string{"Content-Type", "命令行", "推送"} {
				if strings.Contains(r.Body, other) {
					t.Errorf("%s (%s): the console's refusal says %s", tt.name, tt.code, other)
				}
			}
		}
	})
}
