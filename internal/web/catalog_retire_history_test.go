package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDirectRetireInHistory: the operator's retirement of an entry without
// a request shows in the entry's 审核记录 as 注销, with its reason; before,
// the history showed no retirement at all.
func TestDirectRetireInHistory(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := publish(t, f, "公安分局", "暂住人口登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true})
		path := "/catalog/" + strconv.FormatInt(id, 10)
		op := f.client(t)
		tok := op.login("operator")
		r := op.post(path+"/retire", url.Values{"csrf_token": {tok}, "reason": {"职能划转至民政局"}, "confirm": {"yes"}})
		wantStatus(t, "retire", r, http.StatusSeeOther)
		wantBody(t, "the entry's page", op.get(path), "<td>注销</td>", "<td>职能划转至民政局</td>")
	})
}
