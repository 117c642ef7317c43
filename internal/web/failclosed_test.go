package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// consolePatterns are the patterns of method Register registers, read
// from web.go.
func consolePatterns(t *testing.T, method string) []string {
	t.Helper()
	src, err := os.ReadFile("web.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`(?:handle|upload)\("`+method+` ([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		out = append(out, m[1])
	}
	if len(out) < 20 {
		t.Fatalf("found %d %s patterns in web.go: has Register changed its form?", len(out), method)
	}
	return out
}

// TestFailClosedPages: every page of the console is opened while the audit
// log cannot be written. A page that shows personal data — a record, the
// discrepancies, another department's batch warnings, the audit log — is
// refused with 503 and shows none of it; every other page is served as it
// is with the log working, and leaves no audit row then. Once the log is
// back, the refused pages are served and audited. The pages are kept
// against the GET patterns of Register: a new page without a case fails.
func TestFailClosedPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := publishNamePair(t, f)
		people := peopleEntry(t, f)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		subject := recordstest.CitizenID(1)
		line := func(key, value string) []byte {
			return []byte(`{"op":"add","subject_id":"` + subject + `","produced_at":"` + produced + `","values":{"` + key + `":"` + value + `"}}` + "\n")
		}
		police, market, op, auditor := f.client(t), f.client(t), f.client(t), f.client(t)
		ptok, mtok := police.login("police.admin"), market.login("market.admin")
		op.login("operator")
		auditor.login("auditor")
		itoa := func(n int64) string { return strconv.FormatInt(n, 10) }
		wantStatus(t, "police upload", police.upload("/records/upload", ptok, "p.jsonl", line("姓名", "张三"), "entry", itoa(a)), http.StatusOK)
		wantStatus(t, "market upload", market.upload("/records/upload", mtok, "m.jsonl", line("姓名", "张叁"), "entry", itoa(b)), http.StatusOK)
		// CitizenID(1) is a woman's: 男 is warned of, quoting the value.
		wantStatus(t, "warned upload", police.upload("/records/upload", ptok, "w.jsonl", line("性别", "男"), "entry", itoa(people)), http.StatusOK)
		warned := strconv.Itoa(count(t, db, `SELECT max(id) FROM record_batches`))
		if count(t, db, `SELECT count(*) FROM record_discrepancies`) != 1 {
			t.Fatal("no discrepancy to show")
		}
		disc := strconv.Itoa(count(t, db, `SELECT max(id) FROM record_discrepancies`))
		record := "/records/entries/" + itoa(a) + "/subjects/" + subject + "?purpose=" + url.QueryEscape("核查")

		type page struct {
			pattern string
			c       *client
			path    string
			audited bool
		}
		pages := []page{
			{"/static/", op, "/static/app.css", false},
			{"/login", f.client(t), "/login", false},
			{"/{$}", op, "/", false},
			{"/org", op, "/org", false},
			{"/org/users", op, "/org/users", false},
			{"/org/users/{id}", op, "/org/users/" + itoa(f.users["reviewer"].ID), false},
			{"/org/users/new", police, "/org/users/new", false},
			{"/org/departments/new", op, "/org/departments/new", false},
			{"/org/departments/{id}/edit", op, "/org/departments/" + itoa(f.depts["市场监管局"].ID) + "/edit", false},
			{"/org/departments/{id}/transfer", op, "/org/departments/" + itoa(f.depts["公安分局"].ID) + "/transfer", false},
			{"/account/password", op, "/account/password", false},
			{"/apps", op, "/apps", false},
			{"/apps/departments", op, "/apps/departments", false},
			{"/audit", auditor, "/audit?subject=" + subject, true},
			{"/audit/verify", auditor, "/audit/verify", false},
			{"/calendar", op, "/calendar", false},
			{"/catalog", op, "/catalog", false},
			{"/catalog/new", police, "/catalog/new", false},
			{"/catalog/item-row", police, "/catalog/item-row", false},
			{"/catalog/import", police, "/catalog/import", false},
			{"/catalog/import-mappings", police, "/catalog/import-mappings", false},
			{"/catalog/import-mappings/new", police, "/catalog/import-mappings/new", false},
			{"/catalog/import-mappings/edit", police, "/catalog/import-mappings/edit", false},
			{"/catalog/export", op, "/catalog/export", false},
			{"/catalog/security-levels", op, "/catalog/security-levels", false},
			{"/catalog/{id}", op, "/catalog/" + itoa(a), false},
			{"/catalog/{id}/edit", police, "/catalog/" + itoa(a) + "/edit", false},
			{"/catalog/{id}/versions/{n}/diff", op, "/catalog/" + itoa(a) + "/versions/1/diff", false},
			{"/records", police, "/records", false},
			{"/records/departments/{id}", op, "/records/departments/" + itoa(f.depts["公安分局"].ID), false},
			{"/records/lookup", police, "/records/lookup?entry=" + itoa(a) + "&subject=" + subject, false},
			{"/records/upload", police, "/records/upload", false},
			{"/records/entries", police, "/records/entries", false},
			{"/records/batches", op, "/records/batches", false},
			// Warnings name the subjects they warn of: every reader's read is audited, the pusher's too.
			{"/records/batches", op, "/records/batches?batch=" + warned, true},
			{"/records/batches", police, "/records/batches?batch=" + warned, true},
			{"/records/discrepancies", police, "/records/discrepancies?" + checking, true},
			{"/records/entries/{id}/subjects/{subject}", police, record, true},
			{"/public", f.client(t), "/public", false},
			{"/public/{$}", f.client(t), "/public/", false},
			{"/public/catalog", f.client(t), "/public/catalog", false},
			{"/public/catalog/{code...}", f.client(t), "/public/catalog/nope", false},
		}
		covered := map[string]bool{}
		for _, p := range pages {
			covered[p.pattern] = true
		}
		for _, pat := range consolePatterns(t, "GET") {
			if !covered[pat] {
				t.Errorf("GET %s: no fail-closed case: add one to TestFailClosedPages, audited or not", pat)
			}
		}

		rows := func() int { return count(t, db, `SELECT count(*) FROM audit_log`) }
		before := rows()
		unblock := sqldbtest.BlockAudit(t, db)
		blocked := make([]response, len(pages))
		for i, p := range pages {
			blocked[i] = p.c.get(p.path)
			if p.audited {
				wantStatus(t, p.path+" with the audit log down", blocked[i], http.StatusServiceUnavailable)
				wantNoBody(t, p.path+" with the audit log down", blocked[i], subject, "张三", "张叁", "性别（女")
			}
		}
		if got := rows(); got != before {
			t.Errorf("audit rows while blocked: %d, want %d", got, before)
		}

		unblock()
		for i, p := range pages {
			n := rows()
			r := p.c.get(p.path)
			switch got := rows(); {
			case p.audited && (r.Status != http.StatusOK || got == n):
				t.Errorf("%s after recovery: %d with %d audit rows, want 200 audited", p.path, r.Status, got-n)
			case !p.audited && r.Status != blocked[i].Status:
				t.Errorf("%s: %d with the audit log down, %d with it back: it needs the log, mark it audited", p.path, blocked[i].Status, r.Status)
			case !p.audited && got != n:
				t.Errorf("%s left %d audit rows: mark it audited", p.path, got-n)
			}
		}
		wantBody(t, "discrepancy after recovery", police.get("/records/discrepancies?"+checking), "/records/discrepancies/"+disc)
		if rep, err := audit.Verify(context.Background(), db.Read()); err != nil || rep.Problem != nil {
			t.Errorf("audit chain after recovery: %v %+v", err, rep.Problem)
		}
	})
}
