package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLookupFindsOtherDepartmentsEntries: the record lookup finds, by its
// exact name and among its suggestions, any published entry its code
// finds, another department's too — a consuming department is who looks
// records up — and the read's own check then answers as it does by code:
// the record of an entry shared unconditionally, a refusal of one shared
// on conditions (the lookup form again, the reason beside the entry). Upload suggestions stay the department's own. On both
// engines.
func TestLookupFindsOtherDepartmentsEntries(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		name := catalog.Item{Name: "姓名", Type: "C", Length: 50}
		open := publishShared(t, f, "公安分局", "居住登记信息", "01", "002", catalog.Unconditional, id, name)
		cond := publishShared(t, f, "公安分局", "居住签注信息", "01", "003", catalog.Conditional, id, name)
		p1 := recordstest.CitizenID(21)
		line := `{"op":"add","subject_id":"` + p1 + `","produced_at":"2026-10-01T08:00:00+08:00","values":{"姓名":"张三"}}` + "\n"
		police := f.client(t)
		ptok := police.login("police.admin")
		for _, e := range []int64{open, cond} {
			wantStatus(t, "upload", police.upload("/records/upload", ptok, "p1.jsonl", []byte(line), "entry", strconv.FormatInt(e, 10)), http.StatusOK)
		}

		market := f.loggedIn(t, "market.admin")
		r := market.get("/records/entries?entry="+url.QueryEscape("居住"), "HX-Request", "true")
		wantStatus(t, "suggestions", r, http.StatusOK)
		wantBody(t, "suggestions of another department's entries", r, "居住登记信息", "居住签注信息")
		r = market.get("/records/entries?upload=1&entry="+url.QueryEscape("居住"), "HX-Request", "true")
		wantNoBody(t, "upload suggestions", r, "居住登记信息")

		for _, c := range []struct {
			name string
			id   int64
		}{{"居住登记信息", open}, {"居住签注信息", cond}} {
			r := market.get("/records/lookup?" + url.Values{"entry": {c.name}, "subject": {p1}, "purpose": {"核查"}}.Encode())
			if c.id == cond {
				wantStatus(t, "lookup of "+c.name+" by name", r, http.StatusForbidden)
				wantBody(t, "lookup of "+c.name+" by name", r, `id="lookup-entry-error">该目录为有条件共享`, `value="`+c.name+`"`)
				continue
			}
			want := "/records/entries/" + strconv.FormatInt(c.id, 10) + "/subjects/" + p1 + "?purpose=" + url.QueryEscape("核查")
			if r.Status != http.StatusSeeOther || r.Location != want {
				t.Errorf("lookup of %s by name: %d to %q, want %s", c.name, r.Status, r.Location, want)
			}
		}
		r = market.get("/records/entries/" + strconv.FormatInt(open, 10) + "/subjects/" + p1 + "?purpose=" + url.QueryEscape("核查"))
		wantStatus(t, "the unconditional entry's record", r, http.StatusOK)
		wantBody(t, "the unconditional entry's record", r, "张三")
		r = market.get("/records/entries/" + strconv.FormatInt(cond, 10) + "/subjects/" + p1 + "?purpose=" + url.QueryEscape("核查"))
		wantStatus(t, "the conditional entry's record", r, http.StatusForbidden)
		wantNoBody(t, "the conditional entry's record", r, "张三")
	})
}
