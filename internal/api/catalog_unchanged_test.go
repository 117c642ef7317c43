package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPutUnchangedWritesNothing: a PUT of what the entry's editable view
// holds (the draft, the revision, or the version in force when there is no
// revision), compared as the catalog stores it (CR LF as LF, share methods
// in vocabulary order), writes nothing: a published entry opens no
// revision, a draft keeps its version and ETag, and no audit row is added.
// It answers 200 with the entry as it is, its ETag unchanged and
// Hutong-Unchanged: true. A stale If-Match is still refused (409
// concurrent_update), and a PUT that changes something still saves.
func TestPutUnchangedWritesNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		lf := strings.NewReplacer(`"结婚登记、离婚登记及补领婚姻登记证信息"`, `"结婚登记、离婚登记\n及补领婚姻登记证信息"`,
			`"share_methods":["verify"]`, `"share_methods":["query","verify"]`).Replace(marriageEntry)
		crlf := strings.NewReplacer(`\n及补领`, `\r\n及补领`, `["query","verify"]`, `["verify","query"]`).Replace(lf)
		create := func(name string) string {
			t.Helper()
			r := f.do(t, "POST", "/api/v1/catalog/entries", "", strings.Replace(lf, "婚姻登记信息", name, 1), admin...)
			if r.status != 201 {
				t.Fatalf("create: %d %v", r.status, r.body)
			}
			return "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		}
		draft, published := create("婚姻登记信息（草稿）"), create("婚姻登记信息")
		if r := f.do(t, "POST", published+"/submit", "", "", admin...); r.status != 200 {
			t.Fatalf("submit: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", published+"/approve", "", "", op...); r.status != 200 {
			t.Fatalf("approve: %d %v", r.status, r.body)
		}
		const audited = "audit_log WHERE action LIKE 'catalog.%'"
		unchanged := func(what, base, name string, body string, hdr ...string) {
			t.Helper()
			before := f.do(t, "GET", base+"?view=working", "", "", admin...)
			rows, versions := f.count(t, audited), f.count(t, "catalog_entry_versions")
			put := f.do(t, "PUT", base, "", strings.Replace(body, "婚姻登记信息", name, 1), append(hdr, admin...)...)
			if put.status != 200 || put.header.Get("ETag") != before.header.Get("ETag") || put.header.Get("Hutong-Unchanged") != "true" {
				t.Errorf("%s: %d ETag %q Hutong-Unchanged %q, want 200 ETag %q Hutong-Unchanged true: %v", what, put.status,
					put.header.Get("ETag"), put.header.Get("Hutong-Unchanged"), before.header.Get("ETag"), put.body)
			}
			after := f.do(t, "GET", base+"?view=working", "", "", admin...)
			for _, k := range []string{"status", "version", "published_version", "working_version", "working_status", "updated_at"} {
				if jsonNumber(after.body[k]) != jsonNumber(before.body[k]) || jsonNumber(put.body[k]) != jsonNumber(before.body[k]) {
					t.Errorf("%s: %s %v, answered %v, was %v", what, k, after.body[k], put.body[k], before.body[k])
				}
			}
			if n := f.count(t, audited); n != rows {
				t.Errorf("%s: %d catalog audit rows, were %d", what, n, rows)
			}
			if n := f.count(t, "catalog_entry_versions"); n != versions {
				t.Errorf("%s: %d catalog versions, were %d", what, n, versions)
			}
		}
		for _, c := range []struct{ base, name string }{{draft, "婚姻登记信息（草稿）"}, {published, "婚姻登记信息"}} {
			tag := f.do(t, "GET", c.base, "", "", admin...).header.Get("ETag")
			unchanged(c.base+" identical", c.base, c.name, lf)
			unchanged(c.base+" identical with If-Match", c.base, c.name, lf, "If-Match", tag)
			unchanged(c.base+" CR LF and share methods reordered", c.base, c.name, crlf)
			if r := f.do(t, "PUT", c.base, "", strings.Replace(lf, "婚姻登记信息", c.name, 1), append([]string{"If-Match", `"0-1-000000000000000000000000"`},
				admin...)...); r.status != 409 || r.body["code"] != "concurrent_update" {
				t.Errorf("%s identical with a stale If-Match: %d %v, want 409 concurrent_update", c.base, r.status, r.body)
			}
		}
		if w := f.do(t, "GET", published, "", "", admin...); w.body["working_version"] != nil && jsonNumber(w.body["working_version"]) != "0" {
			t.Errorf("published entry saved unchanged: working_version %v, want none", w.body["working_version"])
		}

		// A change still saves: the revision opens, and the next identical
		// PUT compares with the revision, not with the version in force.
		revised := strings.Replace(lf, "用于婚姻状况核验", "用于婚姻状况核验（修订）", 1)
		rows := f.count(t, audited)
		r := f.do(t, "PUT", published, "", revised, admin...)
		if r.status != 200 || r.header.Get("Hutong-Unchanged") != "" || jsonNumber(r.body["working_version"]) != "2" {
			t.Fatalf("PUT with a change: %d Hutong-Unchanged %q %v", r.status, r.header.Get("Hutong-Unchanged"), r.body)
		}
		if n := f.count(t, audited); n != rows+1 {
			t.Errorf("PUT with a change: %d catalog audit rows, want %d", n, rows+1)
		}
		unchanged("revision identical", published, "婚姻登记信息", revised)
		if r := f.do(t, "PUT", published, "", lf, admin...); r.status != 200 || r.header.Get("Hutong-Unchanged") != "" ||
			r.body["share_conditions"] != "用于婚姻状况核验" {
			t.Errorf("PUT of the version in force over a revision: %d Hutong-Unchanged %q %v", r.status,
				r.header.Get("Hutong-Unchanged"), r.body)
		}
	})
}
