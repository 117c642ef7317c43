package api_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testclock"
)

// TestCatalogSubmitUnchangedAnnual: the yearly review of an entry still
// correct. Published, last reviewed in 2020 (review_due), an identical PUT
// writes nothing (Hutong-Unchanged), and POST …/submit then opens a revision
// identical to the version in force and submits it (确认无变化，提交年度复核),
// bound by the ETag of the version in force; the approval clears
// review_due. Submitting a published entry whose review is not near is
// still 409 nothing_to_submit.
func TestCatalogSubmitUnchangedAnnual(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		// review_due is judged by the clock: serve on today's.
		f.onClock(t, testclock.New(time.Now().UTC().Truncate(time.Second)))
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, admin...)
		if r.status != 201 {
			t.Fatalf("create: %d %v", r.status, r.body)
		}
		id := jsonNumber(r.body["id"])
		base := "/api/v1/catalog/entries/" + id
		if r := f.do(t, "POST", base+"/submit", "", "", admin...); r.status != 200 {
			t.Fatalf("submit: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", base+"/approve", "", "", op...); r.status != 200 {
			t.Fatalf("approve: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", base+"/submit", "", "", admin...); r.status != 409 || r.body["code"] != "nothing_to_submit" ||
			!strings.Contains(fmt.Sprint(r.body), "年度复核") {
			t.Errorf("submit just published: %d %v, want 409 nothing_to_submit saying when", r.status, r.body)
		}

		if _, err := db.Write().ExecContext(context.Background(), `UPDATE catalog_entries SET reviewed_at = $2 WHERE id = $1`,
			id, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		got := f.do(t, "GET", base, "", "", admin...)
		if got.body["review_due"] != true {
			t.Fatalf("reviewed in 2020: review_due %v", got.body["review_due"])
		}
		tag := got.header.Get("ETag")
		if r := f.do(t, "PUT", base, "", marriageEntry, admin...); r.status != 200 || r.header.Get("Hutong-Unchanged") != "true" {
			t.Errorf("identical PUT: %d Hutong-Unchanged %q", r.status, r.header.Get("Hutong-Unchanged"))
		}
		if r := f.do(t, "POST", base+"/submit", "", "", append([]string{"If-Match", `"0-1-000000000000000000000000"`}, admin...)...); r.status != 409 ||
			r.body["code"] != "concurrent_update" {
			t.Errorf("confirmation with a stale If-Match: %d %v, want 409 concurrent_update", r.status, r.body)
		}
		versions := f.count(t, "catalog_entry_versions")
		s := f.do(t, "POST", base+"/submit", "", "", append([]string{"If-Match", tag}, admin...)...)
		if s.status != 200 || jsonNumber(s.body["working_version"]) != "2" || s.body["working_status"] != "submitted" ||
			s.body["status"] != "published" || jsonNumber(s.body["version"]) != "1" {
			t.Fatalf("unchanged confirmation: %d %v", s.status, s.body)
		}
		if n := f.count(t, "catalog_entry_versions"); n != versions+1 {
			t.Errorf("%d versions, want %d", n, versions+1)
		}
		if n := f.count(t, "audit_log WHERE action = 'catalog.submit' AND detail LIKE '%unchanged_confirmation%'"); n != 1 {
			t.Errorf("%d submit audit rows saying unchanged confirmation, want 1", n)
		}
		v1, v2 := f.do(t, "GET", base+"/versions/1", "", "", op...), f.do(t, "GET", base+"/versions/2", "", "", op...)
		if v1.status != 200 || v2.status != 200 || !sameResource(v1.body, v2.body) {
			t.Errorf("revision differs from v1:\n%v\n%v", v2.body, v1.body)
		}

		w := f.do(t, "GET", base+"?view=working", "", "", op...)
		if r := f.do(t, "POST", base+"/approve", "", "", append([]string{"If-Match", w.header.Get("ETag")}, op...)...); r.status != 200 {
			t.Fatalf("approve the confirmation: %d %v", r.status, r.body)
		}
		after := f.do(t, "GET", base, "", "", admin...)
		if after.body["review_due"] != false || jsonNumber(after.body["version"]) != "2" || after.body["working_version"] != nil {
			t.Errorf("approved: review_due %v version %v working_version %v", after.body["review_due"], after.body["version"],
				after.body["working_version"])
		}
	})
}

// sameResource compares the metadata of two versions as the API answers
// them, leaving out what tells the versions apart.
func sameResource(a, b map[string]any) bool {
	strip := func(m map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			switch k {
			case "version", "state", "created_at", "created_by", "updated_at", "submitted_at", "reviewed_at", "reviewed_by", "reject_reason":
			default:
				out[k] = v
			}
		}
		return out
	}
	x, y := strip(a), strip(b)
	return len(x) > 0 && reflect.DeepEqual(x, y)
}
