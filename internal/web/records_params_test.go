package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsPagesRefuseUnknownParams: every records page refuses a query
// parameter it does not take with 400 unknown_parameter naming it, as
// /catalog, /org, /audit and /apps do, where it was silently ignored and
// the page shown unfiltered (/records/batches?entry_id=1 listed every
// batch); a batches cursor that is no batch id is refused 400, where the
// first page was shown; a record page asked for a past version (at) says
// it shows none, where it showed the current values. The pages' own
// parameters are still answered 200. On both engines.
func TestRecordsPagesRefuseUnknownParams(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		entry := publish(t, f, "公安分局", "居住登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		es := strconv.FormatInt(entry, 10)
		subject := recordstest.CitizenID(1)
		dept := strconv.FormatInt(f.depts["公安分局"].ID, 10)
		record := "/records/entries/" + es + "/subjects/" + subject
		c := f.loggedIn(t, "police.admin")
		for _, tt := range []struct{ path, param, message string }{
			{"/records?foo=1", "foo", "本页不支持查询参数“foo”"},
			{"/records/departments/" + dept + "?foo=1", "foo", "本页不支持查询参数“foo”"},
			{"/records/upload?foo=1", "foo", "本页不支持查询参数“foo”"},
			{"/records/batches?foo=1", "foo", "本页不支持查询参数“foo”"},
			{"/records/batches?entry_id=1", "entry_id", "本页不支持查询参数“entry_id”"},
			{"/records/batches?before=abc", "before", "分页参数无效"},
			{"/records/batches?before=007", "before", "分页参数无效"},
			{"/records/lookup?entry=" + es + "&subject=" + subject + "&purpose=x&foo=1", "foo", "本页不支持查询参数“foo”"},
			{record + "?purpose=x&foo=1", "foo", "本页不支持查询参数“foo”"},
			{record + "?purpose=x&at=2026-01-01", "at", "不支持按时间（at）查看"},
		} {
			r := c.get(tt.path)
			wantStatus(t, tt.path, r, http.StatusBadRequest)
			wantBody(t, tt.path, r, tt.message)
		}
		r := c.get("/records/entries?entry=居住&upload=1&foo=1", "HX-Request", "true")
		wantStatus(t, "entry choices with foo", r, http.StatusBadRequest)
		for _, path := range []string{"/records?q=居住", "/records/departments/" + dept + "?q=居住", "/records/upload?entry=" + es,
			"/records/batches?department_id=" + dept + "&before=5", "/records/batches?batch=1"} {
			r := c.get(path)
			if path == "/records/batches?batch=1" {
				wantStatus(t, path, r, http.StatusNotFound)
				continue
			}
			wantStatus(t, path, r, http.StatusOK)
		}
		wantStatus(t, "entry choices", c.get("/records/entries?entry=居住&upload=1", "HX-Request", "true"), http.StatusOK)
	})
}
