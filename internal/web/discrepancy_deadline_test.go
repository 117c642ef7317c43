package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepancyDeadlineWording: the list says how a difference's
// feedback deadline stands as a clerk counts it: 剩余 N 个工作日 before the
// due day, 今天到期 on it (it said 剩余 0 个工作日), and once past it the
// days since, with the working days among them (the weekend after a
// Friday's deadline said 已逾期 0 个工作日). A department that answered in
// time is not told it is late because the other side has not: its list
// says 期限已过 and its overview warns of no overdue difference, while the
// other department's says 已逾期 and warns. On both engines.
func TestDiscrepancyDeadlineWording(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := publishNamePair(t, f)
		// Saturday 2026-10-10, a working day (调休): due five working days
		// later, at the end of Friday 10-16.
		f.clock.Add(9 * 24 * time.Hour)
		subjects := []string{recordstest.CitizenID(60)}
		pushNames(t, f, "公安分局", a, "张三", subjects)
		pushNames(t, f, "市场监管局", b, "张叁", subjects)
		did := count(t, db, `SELECT id FROM record_discrepancies WHERE status = 'open'`)
		police, market := f.client(t), f.client(t)
		ptok := police.login("police.admin")
		list := "/records/discrepancies?" + checking
		r := police.post("/records/discrepancies/"+strconv.Itoa(did)+"/feedback", url.Values{"csrf_token": {ptok}, "feedback": {"经核实，本局登记无误"}})
		wantStatus(t, "police feedback", r, http.StatusSeeOther)

		at := func(day int) {
			t.Helper()
			f.clock.Add(time.Date(2026, 10, day, 10, 0, 0, 0, calendar.Location()).Sub(f.clock.Now()))
			police.login("police.admin")
			market.login("market.admin")
		}
		at(15)
		wantBody(t, "the day before", market.get(list), "（剩余 1 个工作日）")
		at(16)
		r = market.get(list)
		wantBody(t, "the due day", r, "（今天到期）")
		wantNoBody(t, "the due day", r, "剩余 0", "已逾期")
		at(17)
		r = market.get(list)
		wantBody(t, "Saturday after", r, "（已逾期 1 天）", `<span class="tag tag-warn">已逾期</span>`, "其中 1 条已逾期")
		wantNoBody(t, "Saturday after", r, "个工作日）")
		wantBody(t, "market overview", market.get("/records"), "有 1 条多源校核差异已超过")
		r = police.get(list)
		wantBody(t, "police, which answered", r, "（期限已过 1 天）")
		wantNoBody(t, "police, which answered", r, "已逾期")
		wantNoBody(t, "police overview", police.get("/records"), `id="overdue"`)
		at(19)
		wantBody(t, "Monday after", market.get(list), "（已逾期 3 天，其中 1 个工作日）")
	})
}

// TestDiscrepancyClearedValueShown: a side that cleared its value of a
// difference, which stays open or awaiting its correction, is listed as
// holding none (无取值), and the correction awaited says the value to push,
// not 将“”更正为“张三”. On both engines.
func TestDiscrepancyClearedValueShown(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		name := catalog.Item{Name: "姓名", Type: "C", Length: 50}
		addr := catalog.Item{Name: "经营场所", Type: "C", Length: 100}
		// 公安分局's entry, published first, is 姓名's one source.
		a := publish(t, f, "公安分局", "居住登记信息", "01", "002", id, name)
		b := publish(t, f, "市场监管局", "个体工商户经营者信息", "02", "001", id, name, addr)
		subjects := []string{recordstest.CitizenID(61)}
		pushNames(t, f, "公安分局", a, "张三", subjects)
		pushNames(t, f, "市场监管局", b, "张叁", subjects)
		did := strconv.Itoa(count(t, db, `SELECT id FROM record_discrepancies WHERE status = 'open'`))
		police := f.client(t)
		ptok := police.login("police.admin")
		list := "/records/discrepancies?status=all&" + checking
		r := police.post("/records/discrepancies/"+did+"/resolve?"+checking, url.Values{"csrf_token": {ptok}})
		wantStatus(t, "resolve", r, http.StatusSeeOther)
		// 市场监管局, decided wrong, clears its 姓名.
		produced := f.clock.Now().Add(-time.Minute).Format(time.RFC3339)
		res, err := records.Ingest(t.Context(), f.db, recordstest.Pusher(f.depts["市场监管局"].ID), b, records.JSONLines(strings.NewReader(
			`{"op":"change","subject_id":"`+subjects[0]+`","produced_at":"`+produced+`","values":{"姓名":"","经营场所":"桂城"}}`+"\n")),
			f.clock.Now(), records.Options{})
		if err != nil || res.Applied != 1 {
			t.Fatalf("clear: %+v %v", res, err)
		}
		op := f.loggedIn(t, "operator")
		r = op.get(list)
		wantBody(t, "operator's list", r, `id="discrepancy-`+did+`"`, "待更正", "<strong>张三</strong>", `<span class="muted">（无取值）</span>`,
			"；待"+f.depts["市场监管局"].Name+"填报权威数源的取值“张三”<span class=\"muted\">（其现无取值）</span>")
		wantNoBody(t, "operator's list", r, "将“”", `<span class="tag tag-ok">已办结</span>`)
	})
}
