package web_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUploadEntryRefusedBesideField: an upload naming no entry of the
// department, or another department's, is refused beside the 数据资源
// field (its message, aria-invalid, the summary linking to it) as every
// other form refuses a field, where it showed only an alert above the
// page; a file of another kind is refused beside the file field.
func TestUploadEntryRefusedBesideField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		people := peopleEntry(t, f)
		code := entryCode(t, db, people)
		recordstest.Entry(t, db, f.depts["市场监管局"].ID, recordstest.Spec{Code: "201001/000001", Name: "个体工商户信息",
			SubjectKind: "person", Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}}})
		market := f.client(t)
		tok := market.login("market.admin")
		for _, c := range []struct {
			entry, file string
			status      int
			field, id   string
			message     string
		}{
			{"没有这个资源", "p.jsonl", http.StatusUnprocessableEntity, "entry", "upload-entry", "没有资源代码或名称为“没有这个资源”的已发布数据资源，请从建议中选择"},
			{code, "p.jsonl", http.StatusForbidden, "entry", "upload-entry", "本部门不是数据资源 " + code + " 的数源部门，不能推送数据"},
			{"201001/000001", "p.txt", http.StatusUnprocessableEntity, "file", "upload-file", "只能上传 JSON Lines（.jsonl）或 CSV（.csv）文件：p.txt"},
		} {
			r := market.upload("/records/upload", tok, c.file, []byte("{}\n"), "entry", c.entry)
			what := "upload " + c.file + " to " + c.entry
			wantStatus(t, what, r, c.status)
			wantBody(t, what, r, `<span class="field-error" id="`+c.id+`-error">`+c.message+`</span>`,
				`<a href="#`+c.id+`">`+c.message+`</a>`)
			if !regexp.MustCompile(`<input id="` + c.id + `"[^>]* aria-describedby="` + c.id + `-error[^"]*" aria-invalid="true"`).MatchString(r.Body) {
				t.Errorf("%s: the %s field is not marked invalid, described by its refusal", what, c.field)
			}
			checkErrorsDescribed(t, what, r.Body)
			wantNoBody(t, what, r, `id="upload-error"`)
		}
	})
}
