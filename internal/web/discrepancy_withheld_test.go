package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepancyWithheldValueShown: a side's value the reader may not
// read (records.WithholdValues) is shown as a muted note, not as a value
// in bold, and the sentence of a difference awaiting its correction does
// not quote the note as a value: the authority's department reads that
// the other must correct its value to 张三 (its value withheld), the
// other that its 张叁 is to be corrected to the authority's value
// (withheld), where both read 将“（无权查看）”更正为“张三” or its like.
// On both engines.
func TestDiscrepancyWithheldValueShown(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := publishNamePair(t, f) // each shared on conditions; 公安分局's is 姓名's source
		subject := []string{recordstest.CitizenID(60)}
		pushNames(t, f, "公安分局", a, "张三", subject)
		pushNames(t, f, "市场监管局", b, "张叁", subject)
		police := f.client(t)
		ptok := police.login("police.admin")
		market := f.loggedIn(t, "market.admin")
		withheld := `<span class="muted withheld">（无权查看）</span>`

		r := police.get("/records/discrepancies?" + checking)
		wantStatus(t, "police's open list", r, http.StatusOK)
		wantBody(t, "police's open list", r, "<strong>张三</strong>", withheld)
		wantNoBody(t, "police's open list", r, "<strong>（无权查看）</strong>", "张叁")
		m := regexp.MustCompile(`id="discrepancy-(\d+)"`).FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatal("no discrepancy listed")
		}
		r = police.post("/records/discrepancies/"+m[1]+"/resolve?"+checking, url.Values{"csrf_token": {ptok}, "note": {"以户籍登记为准"}})
		wantStatus(t, "resolve", r, http.StatusSeeOther)

		awaiting := "/records/discrepancies?status=awaiting_correction&" + checking
		marketName := f.depts["市场监管局"].Name
		r = police.get(awaiting)
		wantStatus(t, "police's awaiting list", r, http.StatusOK)
		wantBody(t, "police's awaiting list", r, "；待"+marketName+"更正为“张三”<span class=\"muted withheld\">（其原值无权查看）</span>")
		wantNoBody(t, "police's awaiting list", r, "“（无权查看）”", "张叁")
		r = market.get(awaiting)
		wantStatus(t, "market's awaiting list", r, http.StatusOK)
		wantBody(t, "market's awaiting list", r, "<strong>张叁</strong>", withheld,
			"；待"+marketName+"将“张叁”更正为权威数源的取值<span class=\"muted withheld\">（无权查看）</span>")
		wantNoBody(t, "market's awaiting list", r, "“（无权查看）”", "张三")
	})
}
