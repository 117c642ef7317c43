package api_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscardRevision: DELETE /api/v1/catalog/entries/{id}/revision
// discards the revision of a published entry (200 with the entry, then the
// entry and its ETag are as before the revision was opened, audited as
// catalog.revision.discard); another department, an app reading the
// catalog only, an entry without a revision (409 no_revision) and one
// whose revision is under review (409 entry_submitted) are refused and
// the revision stays.
func TestDiscardRevision(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		base := publishedEntry(t, f, admin, op)
		before := f.do(t, "GET", base+"?view=working", "", "", admin...)
		if r := f.do(t, "DELETE", base+"/revision", "", "", admin...); r.status != 409 || r.body["code"] != "no_revision" {
			t.Errorf("discard without a revision: got %d %v, want 409 no_revision", r.status, r.body)
		}
		revised := strings.Replace(marriageEntry, "婚姻登记信息", "婚姻登记信息（修订）", 1)
		if r := f.do(t, "PUT", base, "", revised, admin...); r.status != 200 || jsonNumber(r.body["working_version"]) != "2" {
			t.Fatalf("revise: %d %v", r.status, r.body)
		}
		working := func() string {
			t.Helper()
			r := f.do(t, "GET", base+"?view=working", "", "", admin...)
			return jsonNumber(r.body["working_version"]) + " " + r.body["name"].(string)
		}
		for _, c := range []struct {
			what, key string
			hdr       []string
			code      string
		}{
			{"another department", "", op, "forbidden"},
			{"an app reading the catalog only", f.readKey, nil, ""},
		} {
			r := f.do(t, "DELETE", base+"/revision", c.key, "", c.hdr...)
			if r.status != 403 || (c.code != "" && r.body["code"] != c.code) {
				t.Errorf("%s: got %d %v, want 403 %s", c.what, r.status, r.body, c.code)
			}
			if got := working(); got != "2 婚姻登记信息（修订）" {
				t.Errorf("%s: after the refusal the revision is %s", c.what, got)
			}
		}
		r := f.do(t, "DELETE", base+"/revision", "", "", admin...)
		if r.status != 200 || r.body["status"] != "published" || r.body["working_version"] != nil || r.body["name"] != "婚姻登记信息" {
			t.Fatalf("discard: got %d %v, want 200 with the published entry", r.status, r.body)
		}
		after := f.do(t, "GET", base+"?view=working", "", "", admin...)
		if !reflect.DeepEqual(after.body, before.body) || after.header.Get("ETag") != before.header.Get("ETag") {
			t.Errorf("after the discard %v (ETag %s), want as before the revision %v (ETag %s)",
				after.body, after.header.Get("ETag"), before.body, before.header.Get("ETag"))
		}
		var n int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log
			WHERE action = 'catalog.revision.discard' AND detail LIKE '%"version":"2"%'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("audit rows of the discard: %d, %v, want 1", n, err)
		}

		if r := f.do(t, "PUT", base, "", revised, admin...); r.status != 200 {
			t.Fatalf("revise again: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", base+"/submit", "", "", admin...); r.status != 200 {
			t.Fatalf("submit: %d %v", r.status, r.body)
		}
		if r := f.do(t, "DELETE", base+"/revision", "", "", admin...); r.status != 409 || r.body["code"] != "entry_submitted" {
			t.Errorf("discard a revision under review: got %d %v, want 409 entry_submitted", r.status, r.body)
		}
		// The revision after a discard takes a number of its own.
		if got := working(); got != "3 婚姻登记信息（修订）" {
			t.Errorf("a revision under review after the refusal: %s, want version 3 (2 was discarded)", got)
		}
	})
}
