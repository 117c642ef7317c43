package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUploadOtherDepartmentsEntry: another department's entry is refused
// on the upload page in the same words whether it is named by its code or
// its name (本部门不是数据资源…的数源部门, 403), where its name was answered
// as no published entry at all; /records/upload?entry= of another
// department's entry shows that refusal and leaves the field empty, where
// it filled in a code the upload then refused. The department's own entry
// is still filled in. On both engines.
func TestUploadOtherDepartmentsEntry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		people := peopleEntry(t, f)
		ps := strconv.FormatInt(people, 10)
		code := entryCode(t, db, people)
		refusal := "本部门不是数据资源 " + code + " 的数源部门"
		// The market department's own entry: its upload form is shown.
		recordstest.Entry(t, db, f.depts["市场监管局"].ID, recordstest.Spec{Code: "201001/000001", Name: "个体工商户信息",
			SubjectKind: "person", Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}}})
		market := f.client(t)
		tok := market.login("market.admin")
		for _, entry := range []string{code, "户籍人口信息"} {
			r := market.upload("/records/upload", tok, "p.jsonl", []byte("{}\n"), "entry", entry)
			wantStatus(t, "upload to "+entry, r, http.StatusForbidden)
			wantBody(t, "upload to "+entry, r, refusal)
			wantNoBody(t, "upload to "+entry, r, "没有资源代码或名称为")
		}
		r := market.get("/records/upload?entry=" + ps)
		wantStatus(t, "pre-filled with another department's entry", r, http.StatusForbidden)
		wantBody(t, "pre-filled with another department's entry", r, refusal, `name="entry" type="text" list="upload-entry-list" value=""`)
		police := f.loggedIn(t, "police.admin")
		r = police.get("/records/upload?entry=" + ps)
		wantStatus(t, "pre-filled with the department's entry", r, http.StatusOK)
		wantBody(t, "pre-filled with the department's entry", r, `name="entry" type="text" list="upload-entry-list" value="`+code+`"`)
		wantNoBody(t, "pre-filled with the department's entry", r, refusal)
	})
}
