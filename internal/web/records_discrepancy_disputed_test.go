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

// TestDisputedDiscrepancyGoesToOperator: once the other department
// disputed the catalog's authoritative source's value, the source's
// department was still offered the resolve form and resolved the dispute
// in its own favour. It now sees that the operator (政务数据主管部门)
// coordinates, no resolve form, and a resolution it posts is refused 409;
// the discrepancy stays open. A feedback disputes only when the other
// department chooses 不认可 on its form (until 2026-12-05 any feedback of
// it did, 经核实，本局登记有误 included): an agreeing one leaves the
// resolve form to the source. The operator finds the disputed ones under
// 有争议待协调, counted on its tab. On both engines.
func TestDisputedDiscrepancyGoesToOperator(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		d := openNameDiscrepancy(t, f, recordstest.CitizenID(12))
		did, police, ptok, market, mtok := d.id, d.police, d.ptok, d.market, d.mtok
		disc := "/records/discrepancies/" + strconv.FormatInt(did, 10)
		const note = "由政务数据主管部门协调核实后处理"
		r := police.get("/records/discrepancies?purpose=" + url.QueryEscape("核查多源差异"))
		wantBody(t, "undisputed", r, `action="`+disc+`/resolve`)
		wantNoBody(t, "undisputed", r, note)

		// The other department is asked whether it disputes; the source is not.
		const choice = `name="disputed" value="true"`
		wantBody(t, "market's form", market.get("/records/discrepancies?purpose="+url.QueryEscape("核查多源差异")), choice,
			"认可对方数据", "不认可，提请政务数据主管部门协调")
		wantNoBody(t, "police's form", r, choice)
		wantStatus(t, "market agreeing", market.post(disc+"/feedback", url.Values{"csrf_token": {mtok},
			"feedback": {"经核实，本局登记有误"}, "disputed": {"false"}}), http.StatusSeeOther)
		r = police.get("/records/discrepancies?purpose=" + url.QueryEscape("核查多源差异"))
		wantBody(t, "agreed", r, `action="`+disc+`/resolve`, "经核实，本局登记有误")
		wantNoBody(t, "agreed", r, note)
		wantStatus(t, "a choice the form never sends", market.post(disc+"/feedback", url.Values{"csrf_token": {mtok},
			"feedback": {"有异议"}, "disputed": {"yes"}}), http.StatusBadRequest)

		wantStatus(t, "market disputing", market.post(disc+"/feedback", url.Values{"csrf_token": {mtok},
			"feedback": {"经核实本局数据正确，公安数据有误，申请电子政务办协调"}, "disputed": {"true"}}), http.StatusSeeOther)
		r = police.get("/records/discrepancies?purpose=" + url.QueryEscape("核查多源差异"))
		wantBody(t, "disputed", r, note, "不认可</span>")
		wantNoBody(t, "disputed", r, `action="`+disc+`/resolve`)
		r = police.post(disc+"/resolve", url.Values{"csrf_token": {ptok}, "note": {"以公安为准"}})
		wantStatus(t, "police resolving the disputed one", r, http.StatusConflict)
		if n := count(t, db, `SELECT count(*) FROM record_discrepancies WHERE id = $1 AND status = 'open'`, did); n != 1 {
			t.Errorf("after the refused resolution: not open")
		}
		// The operator's queue.
		coord := f.client(t)
		otok := coord.login("operator")
		wantBody(t, "operator's tab", coord.get("/records/discrepancies?purpose="+url.QueryEscape("协调")), "有争议待协调（1）")
		r = coord.get("/records/discrepancies?status=disputed&purpose=" + url.QueryEscape("协调"))
		wantStatus(t, "operator's disputed list", r, http.StatusOK)
		wantBody(t, "operator's disputed list", r, `id="discrepancy-`+strconv.FormatInt(did, 10)+`"`, `action="`+disc+`/resolve`)
		wantStatus(t, "operator resolving", coord.post(disc+"/resolve", url.Values{"csrf_token": {otok}, "note": {"以公安为准"}}), http.StatusSeeOther)
		wantBody(t, "operator's queue emptied", coord.get("/records/discrepancies?status=disputed&purpose="+url.QueryEscape("协调")),
			"没有待协调的争议")
	})
}
