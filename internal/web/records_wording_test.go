package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsWording: the records pages use one term for each thing: an
// open difference is 待处理 on its card as on its tab and the overview
// (where the card said 待反馈, still after feedback was given, and the
// overview 未处理差异), and its card says 已反馈 once a party has given
// feedback; the record page names the entry's 资源代码 as the forms do
// (not 目录代码); a record page of an entry that does not exist says
// 数据资源 … 不存在, as one of an id that is no number does (not 目录 …). On
// both engines.
func TestRecordsWording(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		p := recordstest.CitizenID(61)
		a, did := pushNameDiscrepancy(t, f, p)
		police := f.client(t)
		ptok := police.login("police.admin")
		r := police.get("/records/discrepancies?" + checking)
		wantBody(t, "open", r, `<span class="tag">待处理</span>`)
		wantNoBody(t, "open", r, "待反馈", "已反馈")
		r = police.post("/records/discrepancies/"+strconv.FormatInt(did, 10)+"/feedback?"+checking, url.Values{"csrf_token": {ptok}, "feedback": {"已核实"}})
		wantStatus(t, "feedback", r, http.StatusSeeOther)
		r = police.get("/records/discrepancies?" + checking)
		wantBody(t, "after feedback", r, `<span class="tag">待处理</span> <span class="tag tag-ok">已反馈</span>`)
		wantNoBody(t, "after feedback", r, "待反馈")

		for _, path := range []string{"/records", "/records/departments/" + strconv.FormatInt(f.depts["公安分局"].ID, 10)} {
			r = police.get(path)
			wantBody(t, path, r, `<th class="num">待处理差异</th>`)
			wantNoBody(t, path, r, "未处理")
		}
		op := f.loggedIn(t, "operator")
		r = op.get("/records")
		wantBody(t, "operator's overview", r, `<th class="num">待处理差异</th>`)
		wantNoBody(t, "operator's overview", r, "未处理")

		r = police.get("/records/entries/" + strconv.FormatInt(a, 10) + "/subjects/" + p + "?" + checking)
		wantStatus(t, "record", r, http.StatusOK)
		wantBody(t, "record", r, "资源代码 <span")
		wantNoBody(t, "record", r, "目录代码")
		for _, e := range []string{"abc", "999999"} {
			r = police.get("/records/entries/" + e + "/subjects/" + p + "?" + checking)
			wantStatus(t, "entry "+e, r, http.StatusNotFound)
			wantBody(t, "entry "+e, r, "数据资源")
			wantNoBody(t, "entry "+e, r, "目录 ")
		}
	})
}
