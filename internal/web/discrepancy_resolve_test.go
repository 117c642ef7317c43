package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestResolveFormKeepsChoice: when the catalog names neither entry of a
// difference as the item's source, the operator's resolve form asks which
// is right with a select that starts at 请选择 and is required, where it
// had no empty choice and always sent side A; a resolution without a
// choice is refused beside the select (400, missing_authority), changing
// nothing; after any refusal (a note too long) the form keeps the choice
// made and the note typed, where it showed side A again, so
// that resubmitting resolved for the other department. On both engines.
func TestResolveFormKeepsChoice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		name := catalog.Item{Name: "姓名", Type: "C", Length: 50}
		// 公安分局's entry, published first, is 姓名's one source; the
		// difference is between the two others.
		publish(t, f, "公安分局", "居住登记信息", "01", "002", id, name)
		b := publish(t, f, "市场监管局", "个体工商户经营者信息", "02", "001", id, name)
		c := publish(t, f, "数管局", "人口基础信息", "03", "001", id, name)
		subject := []string{recordstest.CitizenID(40)}
		pushNames(t, f, "市场监管局", b, "张叁", subject)
		pushNames(t, f, "数管局", c, "张三", subject)
		var did, entryA, entryB int64
		if err := db.Read().QueryRowContext(t.Context(), `SELECT id, entry_a, entry_b FROM record_discrepancies WHERE status = 'open'`).
			Scan(&did, &entryA, &entryB); err != nil {
			t.Fatal(err)
		}
		ds, ea, eb := strconv.FormatInt(did, 10), strconv.FormatInt(entryA, 10), strconv.FormatInt(entryB, 10)
		op := f.client(t)
		tok := op.login("operator")
		list := "/records/discrepancies?" + checking
		selectRE := regexp.MustCompile(`(?s)<select id="authority-` + ds + `"[^>]*>.*?</select>`)
		form := func(what string, r response) string {
			t.Helper()
			s := selectRE.FindString(r.Body)
			if s == "" {
				t.Fatalf("%s: no authority select in %s", what, r.Body)
			}
			return s
		}
		s := form("list", op.get(list))
		for _, want := range []string{` required`, `<option value="" disabled selected>请选择</option><option value="` + ea + `">`,
			`<option value="` + eb + `">`} {
			if !strings.Contains(s, want) {
				t.Errorf("list: select %s lacks %q", s, want)
			}
		}

		resolve := "/records/discrepancies/" + ds + "/resolve?" + checking
		unchanged := func(what string) {
			t.Helper()
			if n := count(t, db, `SELECT count(*) FROM record_discrepancies WHERE id = $1 AND status = 'open' AND authoritative_entry_id IS NULL`, did); n != 1 {
				t.Fatalf("%s: the discrepancy is no longer open and undecided", what)
			}
		}
		// No choice: refused beside the select.
		r := op.post(resolve, url.Values{"csrf_token": {tok}, "authority": {""}, "note": {"以人口库为准"}})
		wantStatus(t, "no choice", r, http.StatusBadRequest)
		wantBody(t, "no choice", r, `<span class="field-error" id="authority-`+ds+`-error">目录未确定这两个数据资源之一为该信息项的权威数源，请指定以哪个数据资源为准</span>`,
			`aria-invalid="true" aria-describedby="authority-`+ds+`-error"`, `value="以人口库为准"`)
		wantNoBody(t, "no choice", r, `id="action-error"`)
		if s := form("no choice", r); !strings.Contains(s, `<option value="" disabled selected>请选择</option>`) {
			t.Errorf("no choice: select %s, want 请选择 selected", s)
		}
		unchanged("no choice")

		// Side B chosen, the note too long: refused, B and the note kept.
		long := strings.Repeat("核", records.MaxNote+1)
		r = op.post(resolve, url.Values{"csrf_token": {tok}, "authority": {eb}, "note": {long}})
		wantStatus(t, "note too long", r, http.StatusBadRequest)
		wantBody(t, "note too long", r, `id="note-`+ds+`-error"`, `value="`+long+`"`)
		s = form("note too long", r)
		if !strings.Contains(s, `<option value="`+eb+`" selected>`) || strings.Contains(s, `<option value="`+ea+`" selected>`) ||
			strings.Contains(s, `<option value="" disabled selected>`) {
			t.Errorf("note too long: select %s, want side B (%s) selected alone", s, eb)
		}
		unchanged("note too long")

		// Resubmitted as shown: resolved for B.
		r = op.post(resolve, url.Values{"csrf_token": {tok}, "authority": {eb}, "note": {"以人口库为准"}})
		wantStatus(t, "resolve for B", r, http.StatusSeeOther)
		if n := count(t, db, `SELECT count(*) FROM record_discrepancies WHERE id = $1 AND status = 'awaiting_correction' AND authoritative_entry_id = $2`, did, entryB); n != 1 {
			t.Errorf("resolve for B: not resolved for entry %d", entryB)
		}
	})
}
