package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDefaultViewTagRefusedOnRevision: editor A edits the revision of a
// published entry from view=working (200); editor B reads the default view,
// which shows the version in force, and PUTs it back edited with its ETag:
// refused with 409 concurrent_update telling to read view=working, and the
// revision keeps A's edit. Before, both views answered the revision's tag,
// and B's PUT overwrote the revision with the version in force.
func TestDefaultViewTagRefusedOnRevision(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		base := publishedEntry(t, f, admin, op)
		// A opens a revision.
		first := f.do(t, "PUT", base, "", strings.Replace(marriageEntry, "结婚登记、离婚登记", "结婚、离婚登记", 1), admin...)
		if first.status != 200 {
			t.Fatalf("open revision: %d %v", first.status, first.body)
		}
		working := f.do(t, "GET", base+"?view=working", "", "", admin...)
		current := f.do(t, "GET", base, "", "", admin...)
		if working.header.Get("ETag") == current.header.Get("ETag") {
			t.Errorf("default view and revision share the ETag %s", current.header.Get("ETag"))
		}
		a := f.do(t, "PUT", base, "", strings.Replace(marriageEntry, `"婚姻登记信息"`, `"婚姻登记信息（甲）"`, 1),
			append([]string{"If-Match", working.header.Get("ETag")}, admin...)...)
		if a.status != 200 {
			t.Fatalf("A's PUT: %d %v", a.status, a.body)
		}
		for _, tag := range []string{current.header.Get("ETag"), f.do(t, "GET", base, "", "", admin...).header.Get("ETag")} {
			b := f.do(t, "PUT", base, "", strings.Replace(marriageEntry, "结婚登记、离婚登记", "乙只改了摘要", 1),
				append([]string{"If-Match", tag}, admin...)...)
			if b.status != 409 || b.body["code"] != "concurrent_update" {
				t.Errorf("B's PUT of the default view with If-Match %s: %d %v, want 409 concurrent_update", tag, b.status, b.body)
			}
		}
		b := f.do(t, "PUT", base, "", marriageEntry, append([]string{"If-Match", f.do(t, "GET", base, "", "", admin...).header.Get("ETag")}, admin...)...)
		if b.status != 409 || !strings.Contains(fmt.Sprint(b.body), "view=working") {
			t.Errorf("refusal of the default view's tag: %v, want it to tell to read view=working", b.body)
		}
		w := f.do(t, "GET", base+"?view=working", "", "", admin...)
		if w.body["name"] != "婚姻登记信息（甲）" || w.header.Get("ETag") != a.header.Get("ETag") {
			t.Errorf("revision %v with ETag %s, want A's edit with %s", w.body["name"], w.header.Get("ETag"), a.header.Get("ETag"))
		}
		if s := f.do(t, "POST", base+"/submit", "", "", append([]string{"If-Match", current.header.Get("ETag")}, admin...)...); s.status != 409 {
			t.Errorf("submit with the default view's tag: %d %v, want 409", s.status, s.body)
		}
	})
}

// TestReviewIfMatch: approve, reject and submit honour If-Match. A reviewer
// reads the submitted version; it is sent back, edited (other sharing
// terms) and submitted again under the same number: the approval with the
// tag the reviewer read is refused with 409 concurrent_update and the entry
// stays submitted; with the tag of what is now submitted it is approved.
// A submission with a tag read before another edit saved is refused, and a
// rejection with a stale tag too. Before, approve, reject and submit ignored
// If-Match and acted on whatever the entry held.
func TestReviewIfMatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, admin...)
		if r.status != 201 {
			t.Fatalf("create: %d %v", r.status, r.body)
		}
		base := "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		with := func(tag string, who []string) []string { return append([]string{"If-Match", tag}, who...) }
		if r = f.do(t, "POST", base+"/submit", "", "", with(f.do(t, "GET", base, "", "", admin...).header.Get("ETag"), admin)...); r.status != 200 {
			t.Fatalf("submit: %d %v", r.status, r.body)
		}
		seen := f.do(t, "GET", base, "", "", op...).header.Get("ETag")
		if r = f.do(t, "POST", base+"/reject", "", `{"reason":"共享条件不明确"}`, with(seen, op)...); r.status != 200 {
			t.Fatalf("reject with the tag read: %d %v", r.status, r.body)
		}
		stale := f.do(t, "GET", base, "", "", admin...).header.Get("ETag")
		edited := strings.Replace(marriageEntry, "结婚登记、离婚登记", "结婚、离婚登记", 1)
		if r = f.do(t, "PUT", base, "", edited, admin...); r.status != 200 {
			t.Fatalf("edit: %d %v", r.status, r.body)
		}
		if r = f.do(t, "POST", base+"/submit", "", "", with(stale, admin)...); r.status != 409 || r.body["code"] != "concurrent_update" {
			t.Errorf("submit with a tag read before the edit: %d %v, want 409 concurrent_update", r.status, r.body)
		}
		if r = f.do(t, "POST", base+"/submit", "", "", with(f.do(t, "GET", base, "", "", admin...).header.Get("ETag"), admin)...); r.status != 200 {
			t.Fatalf("resubmit: %d %v", r.status, r.body)
		}
		if r = f.do(t, "POST", base+"/approve", "", "", with(seen, op)...); r.status != 409 || r.body["code"] != "concurrent_update" {
			t.Errorf("approve with the tag of the content first submitted: %d %v, want 409 concurrent_update", r.status, r.body)
		}
		if r = f.do(t, "POST", base+"/reject", "", `{"reason":"仍不明确"}`, with(seen, op)...); r.status != 409 || r.body["code"] != "concurrent_update" {
			t.Errorf("reject with the tag of the content first submitted: %d %v, want 409 concurrent_update", r.status, r.body)
		}
		if g := f.do(t, "GET", base, "", "", op...); g.body["status"] != "submitted" {
			t.Fatalf("after the refusals: status %v, want submitted", g.body["status"])
		}
		now := f.do(t, "GET", base, "", "", op...).header.Get("ETag")
		if now == seen {
			t.Fatalf("the content edited has the tag %s of the content first submitted", now)
		}
		if r = f.do(t, "POST", base+"/approve", "", "", with(now, op)...); r.status != 200 || r.body["status"] != "published" {
			t.Errorf("approve with the tag of what is submitted: %d %v", r.status, r.body)
		}
	})
}

// TestStaleApproveWritesNothing: an approval whose If-Match names content no
// longer submitted is refused with 409 and writes nothing. Before, the
// conflicts were rechecked and committed first: with a refresh of the
// source conflicts pending, the refused approval ran and cleared it.
func TestStaleApproveWritesNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, admin...)
		if r.status != 201 {
			t.Fatalf("create: %d %v", r.status, r.body)
		}
		base := "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		if r = f.do(t, "POST", base+"/submit", "", "", admin...); r.status != 200 {
			t.Fatalf("submit: %d %v", r.status, r.body)
		}
		seen := f.do(t, "GET", base, "", "", op...).header.Get("ETag")
		if r = f.do(t, "POST", base+"/reject", "", `{"reason":"共享条件不明确"}`, append([]string{"If-Match", seen}, op...)...); r.status != 200 {
			t.Fatalf("reject: %d %v", r.status, r.body)
		}
		if r = f.do(t, "PUT", base, "", strings.Replace(marriageEntry, "结婚登记、离婚登记", "结婚、离婚登记", 1), admin...); r.status != 200 {
			t.Fatalf("edit: %d %v", r.status, r.body)
		}
		if r = f.do(t, "POST", base+"/submit", "", "", admin...); r.status != 200 {
			t.Fatalf("resubmit: %d %v", r.status, r.body)
		}
		ctx := context.Background()
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE catalog_source_lock SET refresh_pending = TRUE WHERE id = 1`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		state := func() string {
			var pending bool
			var rows, audits int
			if err := db.Read().QueryRowContext(ctx, `SELECT (SELECT refresh_pending FROM catalog_source_lock WHERE id = 1),
				(SELECT count(*) FROM catalog_source_conflicts), (SELECT count(*) FROM audit_log)`).Scan(&pending, &rows, &audits); err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(pending, rows, audits)
		}
		before := state()
		if r = f.do(t, "POST", base+"/approve", "", "", append([]string{"If-Match", seen}, op...)...); r.status != 409 || r.body["code"] != "concurrent_update" {
			t.Fatalf("approve with a stale tag: %d %v, want 409 concurrent_update", r.status, r.body)
		}
		if after := state(); after != before {
			t.Errorf("refused approval wrote: refresh pending, conflicts, audit rows %s, were %s", after, before)
		}
	})
}
