package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepanciesRefuseUnknownParams: the list of discrepancies refuses
// a query parameter it does not take with 400 unknown_parameter naming
// it, as the other records pages do (checkParams), where a misspelt
// filter (subjct) was ignored and every discrepancy listed as if
// filtered; the department filter is the operator's alone, so another's
// is refused too. A cursor (after) that is no discrepancy id as the pager
// writes it is 400 invalid_cursor, where the first page was shown. The
// page's own parameters are still answered 200. On both engines.
func TestDiscrepanciesRefuseUnknownParams(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		publishNamePair(t, f)
		police := f.loggedIn(t, "police.admin")
		op := f.loggedIn(t, "operator")
		const list = "/records/discrepancies?"
		for _, tt := range []struct {
			c                    *client
			path, param, message string
		}{
			{op, list + checking + "&subjct=" + recordstest.CitizenID(1), "subjct", "本页不支持查询参数“subjct”"},
			{op, list + "foo=1", "foo", "本页不支持查询参数“foo”"},
			{police, list + checking + "&department=" + url.QueryEscape("市场监管局"), "department", "本页不支持查询参数“department”"},
			{op, list + checking + "&after=abc", "after", "分页参数无效"},
			{op, list + checking + "&after=007", "after", "分页参数无效"},
			{op, list + checking + "&after=0", "after", "分页参数无效"},
			{op, list + checking + "&after=-3", "after", "分页参数无效"},
		} {
			r := tt.c.get(tt.path)
			wantStatus(t, tt.path, r, http.StatusBadRequest)
			wantBody(t, tt.path, r, tt.message)
			wantNoBody(t, tt.path, r, `id="result-count"`)
		}
		for _, tt := range []struct {
			c    *client
			path string
		}{
			{op, list + checking + "&status=all&subject=" + recordstest.CitizenID(1) + "&entry=" + url.QueryEscape("居住登记信息") +
				"&department=" + url.QueryEscape("公安分局") + "&after=5&msg=resolved"},
			{police, list + checking + "&status=resolved&after=7&msg=feedback"},
			{police, "/records/discrepancies"},
		} {
			wantStatus(t, tt.path, tt.c.get(tt.path), http.StatusOK)
		}
	})
}
