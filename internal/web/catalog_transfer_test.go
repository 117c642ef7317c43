package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogTransferConsole: the operator transfers a department's
// entries from its 修改部门 page (转移数据资源到其他部门, which did not
// exist): the form lists the entries, the next step lists what moves and
// its count and asks to confirm, and only the confirmation moves them,
// codes kept, and the entry's history shows it; a department's
// administrator may not open the form, and its attempt to send it is
// audited (denied).
func TestCatalogTransferConsole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		name := catalog.Item{Name: "姓名", Type: "C", Length: 50}
		a := publish(t, f, "公安分局", "居住登记信息", "01", "002", id, name)
		b := publish(t, f, "公安分局", "机动车驾驶人信息", "01", "003", id, name)
		police, market := f.depts["公安分局"], f.depts["市场监管局"]
		page := "/org/departments/" + strconv.FormatInt(police.ID, 10) + "/transfer"

		op := f.client(t)
		tok := op.login("operator")
		wantBody(t, "the department's page", op.get("/org/departments/"+strconv.FormatInt(police.ID, 10)+"/edit"), `href="`+page+`"`)
		r := op.get(page)
		wantStatus(t, "GET "+page, r, http.StatusOK)
		for _, want := range []string{"居住登记信息", "机动车驾驶人信息", `value="` + strconv.FormatInt(market.ID, 10) + `"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the form lacks %s", want)
			}
		}
		marketEntries := func() string {
			return strconv.Itoa(count(t, db, `SELECT count(*) FROM catalog_entries WHERE department_id = $1`, market.ID))
		}
		form := url.Values{"csrf_token": {tok}, "to_department_id": {strconv.FormatInt(market.ID, 10)}, "entry": {strconv.FormatInt(a, 10)}}
		r = op.post(page, form)
		wantStatus(t, "the confirmation", r, http.StatusOK)
		if !strings.Contains(r.Body, "将把以下 <strong>1</strong> 个数据资源") || !strings.Contains(r.Body, "居住登记信息") ||
			strings.Contains(r.Body, "机动车驾驶人信息") {
			t.Errorf("the confirmation does not list the one entry ticked:\n%s", r.Body)
		}
		if got := marketEntries(); got != "0" {
			t.Fatalf("the confirmation step moved %s entries", got)
		}
		form.Set("confirm", "1")
		r = op.post(page, form)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("confirm: got %d, want 303\n%s", r.Status, r.Body)
		}
		wantBody(t, "the report", op.get(r.Location), "已将 1 个数据资源转移到“"+market.Name+"”")
		if n := count(t, db, `SELECT count(*) FROM catalog_entries WHERE id = $1 AND department_id = $2`, a, market.ID); n != 1 {
			t.Errorf("the entry ticked is not 市场监管局's")
		}
		// The entry's history (审核记录) holds the transfer.
		wantBody(t, "the entry's page", op.get("/catalog/"+strconv.FormatInt(a, 10)), "转移部门", "由“"+police.Name+"”转移到“"+market.Name+"”")
		if n := count(t, db, `SELECT count(*) FROM catalog_entries WHERE id = $1 AND department_id = $2`, b, police.ID); n != 1 {
			t.Errorf("the entry not ticked moved")
		}
		// To the department itself: told on the form, nothing moves.
		r = op.post(page, url.Values{"csrf_token": {tok}, "to_department_id": {strconv.FormatInt(police.ID, 10)}})
		wantStatus(t, "to itself", r, http.StatusBadRequest)
		if !strings.Contains(r.Body, "接收部门与转出部门相同") {
			t.Errorf("to itself: the refusal is not told\n%s", r.Body)
		}

		admin := f.client(t)
		atok := admin.login("police.admin")
		wantStatus(t, "an administrator opens the form", admin.get(page), http.StatusForbidden)
		r = admin.post(page, url.Values{"csrf_token": {atok}, "to_department_id": {strconv.FormatInt(market.ID, 10)}, "confirm": {"1"}})
		wantStatus(t, "an administrator transfers", r, http.StatusForbidden)
		if n := count(t, db, `SELECT count(*) FROM catalog_entries WHERE id = $1 AND department_id = $2`, b, police.ID); n != 1 {
			t.Errorf("a refused transfer moved the entry")
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'catalog.transfer' AND outcome = 'denied'
			AND object_type = 'department' AND object_id = $1`, strconv.FormatInt(police.ID, 10)); n != 1 {
			t.Errorf("the refused transfer left %d denied rows, want 1", n)
		}
	})
}

// confirmForm returns the hidden inputs of the confirmation form in body
// (确认转移), as the browser sends them back.
func confirmForm(t *testing.T, body string) url.Values {
	t.Helper()
	start := strings.Index(body, `<input type="hidden" name="csrf_token"`)
	end := strings.Index(body, `id="confirm-transfer"`)
	if start < 0 || end < start {
		t.Fatalf("no confirmation form:\n%s", body)
	}
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(body[start:end], -1) {
		v.Add(m[1], m[2])
	}
	return v
}

// TestCatalogTransferConfirmsWhatItListed: confirming a transfer of every
// entry (none ticked) moved every entry the department had at the
// confirmation, one published after the page listed its 1 included; the
// confirmation now carries the entries it listed, and when the
// department's entries changed since, it is refused (409
// transfer_entries_changed), nothing moves and the page lists the current
// entries to confirm again.
func TestCatalogTransferConfirmsWhatItListed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		name := catalog.Item{Name: "姓名", Type: "C", Length: 50}
		publish(t, f, "公安分局", "居住登记信息", "01", "002", id, name)
		police, market := f.depts["公安分局"], f.depts["市场监管局"]
		page := "/org/departments/" + strconv.FormatInt(police.ID, 10) + "/transfer"
		op := f.client(t)
		tok := op.login("operator")
		r := op.post(page, url.Values{"csrf_token": {tok}, "to_department_id": {strconv.FormatInt(market.ID, 10)}})
		wantStatus(t, "the confirmation", r, http.StatusOK)
		if !strings.Contains(r.Body, "将把以下 <strong>1</strong> 个数据资源") {
			t.Fatalf("the confirmation does not list the 1 entry:\n%s", r.Body)
		}
		form := confirmForm(t, r.Body)
		publish(t, f, "公安分局", "机动车驾驶人信息", "01", "003", id, name)
		moved := func() int {
			return count(t, db, `SELECT count(*) FROM catalog_entries WHERE department_id = $1`, market.ID)
		}
		r = op.post(page, form)
		if r.Status != http.StatusConflict {
			t.Fatalf("confirming 1 entry listed of the 2 now: got %d, want 409 (moved %d)\n%s", r.Status, moved(), r.Body)
		}
		if n := moved(); n != 0 {
			t.Fatalf("the refused confirmation moved %d entries", n)
		}
		wantBody(t, "the refusal", r, "数据资源有变化", "将把以下 <strong>2</strong> 个数据资源", "机动车驾驶人信息")
		r = op.post(page, confirmForm(t, r.Body))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("confirming the 2 listed: got %d, want 303\n%s", r.Status, r.Body)
		}
		if n := moved(); n != 2 {
			t.Errorf("confirming the 2 listed moved %d", n)
		}
	})
}
