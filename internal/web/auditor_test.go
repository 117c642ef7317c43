package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// postFormRE finds a form that posts, other than the top bar's logout.
var postFormRE = regexp.MustCompile(`<form[^>]*method="post"[^>]*action="([^"]*)"`)

// wantNoWrites fails when r offers a write: a form that posts (other than
// logging out) or a link or button to a write page or action.
func wantNoWrites(t *testing.T, what string, r response) {
	t.Helper()
	for _, m := range postFormRE.FindAllStringSubmatch(r.Body, -1) {
		if m[1] != "/logout" {
			t.Errorf("%s: a form posts to %s", what, m[1])
		}
	}
	wantNoBody(t, what, r, `id="new-entry"`, `id="import"`, `href="/catalog/new"`, `href="/catalog/import"`, `/edit"`,
		`id="submit-entry"`, `id="new-version"`, `id="retire-entry"`, `id="approve-entry"`, `id="reject-entry"`,
		`href="/records/upload"`, `id="upload"`, "/feedback", "/resolve", `id="save-level-1"`)
}

// TestAuditorReads: the auditor oversees the platform and reads in the
// console what the API lets it read — the catalog and its entries, the
// export, the security levels' definitions, the aggregation overview of every department (quality and stale
// entries), its department's batches — with no write offered; every write
// route still refuses it, and so do the pages of subjects' data (a
// record, the discrepancies with both sources' values), which the API
// refuses it too (no data.read). On both engines.
func TestAuditorReads(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := publishNamePair(t, f)
		as := strconv.FormatInt(a, 10)
		p1 := recordstest.CitizenID(11)
		police := f.client(t)
		ptok := police.login("police.admin")
		line := `{"op":"add","subject_id":"` + p1 + `","produced_at":"` + f.clock.Now().Add(-time.Hour).Format(time.RFC3339) +
			`","values":{"姓名":"张三"}}`
		wantStatus(t, "police upload", police.upload("/records/upload", ptok, "a.jsonl", []byte(line), "entry", as), http.StatusOK)

		aud := f.client(t)
		tok := aud.login("auditor")
		nav := aud.get("/").Body
		nav = nav[strings.Index(nav, `<nav class="sidenav"`):]
		nav = nav[:strings.Index(nav, "</nav>")]
		for _, l := range []string{"数据资源目录", "数据归集", "审计日志"} {
			if !strings.Contains(nav, ">"+l+"<") {
				t.Errorf("the auditor's navigation lacks %s:\n%s", l, nav)
			}
		}
		police2 := strconv.FormatInt(f.depts["公安分局"].ID, 10)
		for _, c := range []struct {
			path string
			want []string
		}{
			{"/catalog", []string{"居住登记信息", "个体工商户经营者信息", `id="export-csv"`}},
			{"/catalog?view=submitted", []string{"待审核"}},
			{"/catalog/" + as, []string{"居住登记信息", "公民身份号码", "版本"}},
			{"/catalog/export?format=csv", []string{"居住登记信息", "个体工商户经营者信息"}},
			{"/catalog/security-levels", []string{"安全级别定义", "4级", "只有平台管理员可以修改"}},
			{"/records", []string{"各部门归集概况", "佛山市公安局南海分局", "佛山市南海区市场监督管理局", "居住登记信息", "个体工商户经营者信息",
				"完整性", `href="/records/batches"`}},
			{"/records/departments/" + police2, []string{"居住登记信息"}},
			{"/records/batches", []string{"本部门已导入的批次"}},
		} {
			r := aud.get(c.path)
			wantStatus(t, "auditor GET "+c.path, r, http.StatusOK)
			wantBody(t, "auditor GET "+c.path, r, c.want...)
			wantNoWrites(t, "auditor GET "+c.path, r)
			if strings.HasPrefix(c.path, "/records") {
				// No subject's data: neither the lookup nor the discrepancies.
				wantNoBody(t, "auditor GET "+c.path, r, `action="/records/lookup"`, `href="/records/discrepancies"`, p1)
			}
		}
		// The API lists the auditor its own department's batches, not 公安分局's.
		wantNoBody(t, "auditor batches", aud.get("/records/batches"), "居住登记信息")

		for _, path := range []string{"/records/discrepancies", "/records/lookup?entry=" + as + "&subject=" + p1 + "&purpose=x",
			"/records/entries/" + as + "/subjects/" + p1 + "?purpose=" + url.QueryEscape("核查"), "/records/upload",
			"/catalog/new", "/catalog/import", "/catalog/import-mappings", "/catalog/" + as + "/edit"} {
			r := aud.get(path)
			wantStatus(t, "auditor GET "+path, r, http.StatusForbidden)
			wantNoBody(t, "auditor GET "+path, r, "张三")
		}
		form := url.Values{"csrf_token": {tok}, "confirm": {"yes"}, "reason": {"审计"}, "feedback": {"审计"}, "authoritative_entry_id": {as}}
		for _, path := range []string{"/catalog/new", "/catalog/" + as + "/edit", "/catalog/" + as + "/submit", "/catalog/" + as + "/approve",
			"/catalog/" + as + "/reject", "/catalog/" + as + "/retire", "/catalog/" + as + "/conflicts/1", "/catalog/import-mappings",
			"/catalog/security-levels", "/records/discrepancies/1/feedback", "/records/discrepancies/1/resolve"} {
			wantStatus(t, "auditor POST "+path, aud.post(path, form), http.StatusForbidden)
		}
		for _, path := range []string{"/catalog/import", "/catalog/import-mappings/new", "/records/upload"} {
			wantStatus(t, "auditor upload "+path, aud.upload(path, tok, "a.jsonl", []byte(line), "entry", as), http.StatusForbidden)
		}
		if n := count(t, db, `SELECT count(*) FROM record_versions`); n != 1 {
			t.Errorf("record versions after the auditor's attempts: %d, want 1", n)
		}
		if n := count(t, db, `SELECT count(*) FROM catalog_entries WHERE status = 'published' AND id IN ($1, $2)`, a, b); n != 2 {
			t.Errorf("published entries after the auditor's attempts: %d, want 2", n)
		}
	})
}
