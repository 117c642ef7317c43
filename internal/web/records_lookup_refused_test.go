package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLookupRefusedShowsForm: a department refused another's
// conditionally shared entry is shown the lookup form again (403), the
// entry's code, the subject and the purpose kept and the refusal beside
// the entry field, at /records/lookup and on the record page, where it got
// a bare error page with only 返回首页; the refusal is still audited (a
// denied records.read). The record page asked without a purpose fills in
// the entry's resource code, where it showed the internal id. On both
// engines.
func TestLookupRefusedShowsForm(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		entry := publish(t, f, "公安分局", "居住登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		es := strconv.FormatInt(entry, 10)
		code := entryCode(t, db, entry)
		subject := recordstest.CitizenID(3)
		market := f.loggedIn(t, "market.admin")
		denied := func() int {
			return count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.read' AND outcome = 'denied' AND subject_id = $1`, subject)
		}
		for i, path := range []string{
			"/records/lookup?" + url.Values{"entry": {code}, "subject": {subject}, "purpose": {"核查居住信息"}}.Encode(),
			"/records/entries/" + es + "/subjects/" + subject + "?purpose=" + url.QueryEscape("核查居住信息"),
		} {
			r := market.get(path)
			wantStatus(t, path, r, http.StatusForbidden)
			wantBody(t, path, r, `<form method="get" action="/records/lookup"`,
				`id="lookup-entry-error">该目录为有条件共享，须经数源部门审核同意后方可读取`,
				`name="entry" type="text" value="`+code+`"`, `value="`+subject+`"`, `value="核查居住信息"`)
			wantNoBody(t, path, r, "返回首页")
			if n := denied(); n != i+1 {
				t.Errorf("%s: %d denied rows, want %d", path, n, i+1)
			}
		}
		police := f.loggedIn(t, "police.admin")
		path := "/records/entries/" + es + "/subjects/" + subject
		r := police.get(path)
		wantStatus(t, path, r, http.StatusBadRequest)
		wantBody(t, path, r, `name="entry" type="text" value="`+code+`"`)
	})
}

// entryCode is the resource code of entry id.
func entryCode(t *testing.T, db *sqldb.DB, id int64) string {
	t.Helper()
	e, err := records.LoadEntry(t.Context(), db.Read(), id)
	if err != nil {
		t.Fatal(err)
	}
	return e.Code
}
