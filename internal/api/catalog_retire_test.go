package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// publishedEntry creates marriageEntry as admin's draft and has op publish
// it; it returns the entry's path.
func publishedEntry(t *testing.T, f *fixture, admin, op []string) string {
	t.Helper()
	r := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, admin...)
	if r.status != 201 {
		t.Fatalf("create: %d %v", r.status, r.body)
	}
	base := "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
	if r = f.do(t, "POST", base+"/submit", "", "", admin...); r.status != 200 {
		t.Fatalf("submit: %d %v", r.status, r.body)
	}
	if r = f.do(t, "POST", base+"/approve", "", "", op...); r.status != 200 {
		t.Fatalf("approve: %d %v", r.status, r.body)
	}
	return base
}

// TestRetireWithoutReason: POST …/retire with no body, or a blank reason,
// is refused as the console refuses it (reason_required on reason), and
// the entry stays published.
func TestRetireWithoutReason(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		base := publishedEntry(t, f, admin, op)
		for _, body := range []string{"", `{}`, `{"reason":"  "}`} {
			r := f.do(t, "POST", base+"/retire", "", body, admin...)
			if r.status != 400 || r.body["code"] != "reason_required" || r.body["field"] != "reason" {
				t.Errorf("retire with body %q: got %d %v, want 400 reason_required on reason", body, r.status, r.body)
			}
		}
		if r := f.do(t, "GET", base, f.readKey, ""); r.body["status"] != "published" {
			t.Fatalf("after the refusals: %v, want published", r.body["status"])
		}
		if r := f.do(t, "POST", base+"/retire", "", `{"reason":"停止采集"}`, admin...); r.status != 202 || r.body["status"] != "published" {
			t.Errorf("retire: got %d %v, want 202 published (a request)", r.status, r.body)
		}
	})
}

// TestRetireRequest: a department's POST …/retire of its published entry
// is a request for the operator's review (requirement 4), answered 202:
// the entry stays published, in the public catalog and open to pushes
// until a reviewer approves (…/retire/approve, 200 retired); a rejection
// (…/retire/reject, with a reason) keeps it published, and the department
// may withdraw (…/retire/withdraw) while the request waits. The queue
// (GET /api/v1/catalog/retire-requests) lists it for the reviewers. The
// operator's own retirement is immediate (200 retired). Before, the
// department's POST retired the entry at once (200 retired).
func TestRetireRequest(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		base := publishedEntry(t, f, admin, op)
		code := f.do(t, "GET", base, f.readKey, "").body["code"].(string)
		public := "/api/v1/public/catalog/" + code
		queue := func() []any {
			t.Helper()
			r := f.do(t, "GET", "/api/v1/catalog/retire-requests", "", "", op...)
			if r.status != 200 {
				t.Fatalf("queue: %d %v", r.status, r.body)
			}
			items, _ := r.body["items"].([]any)
			return items
		}

		r := f.do(t, "POST", base+"/retire", "", `{"reason":"停止采集"}`, admin...)
		req, _ := r.body["retire_request"].(map[string]any)
		if r.status != 202 || r.body["status"] != "published" || req["state"] != "requested" || req["reason"] != "停止采集" {
			t.Fatalf("request: got %d %v, want 202 published with a pending request", r.status, r.body)
		}
		if r := f.do(t, "GET", public, "", ""); r.status != 200 {
			t.Errorf("public entry while requested: %d, want 200", r.status)
		}
		if q := queue(); len(q) != 1 || q[0].(map[string]any)["code"] != code || q[0].(map[string]any)["reason"] != "停止采集" {
			t.Errorf("queue %v, want the request", q)
		}
		if r := f.do(t, "POST", base+"/retire", "", `{"reason":"再次申请"}`, admin...); r.status != 409 || r.body["code"] != "retire_requested" {
			t.Errorf("second request: %d %v, want 409 retire_requested", r.status, r.body)
		}
		if r := f.do(t, "POST", base+"/retire/approve", "", "", admin...); r.status != 403 {
			t.Errorf("department approves: %d %v, want 403", r.status, r.body)
		}
		if r := f.do(t, "POST", base+"/retire/reject", "", `{"reason":" "}`, op...); r.status != 400 || r.body["code"] != "reason_required" {
			t.Errorf("reject without reason: %d %v, want 400 reason_required", r.status, r.body)
		}
		r = f.do(t, "POST", base+"/retire/reject", "", `{"reason":"仍有部门在用"}`, op...)
		req, _ = r.body["retire_request"].(map[string]any)
		if r.status != 200 || r.body["status"] != "published" || req["state"] != "rejected" || req["reject_reason"] != "仍有部门在用" {
			t.Errorf("reject: got %d %v, want 200 published, request rejected", r.status, r.body)
		}
		if q := queue(); len(q) != 0 {
			t.Errorf("queue after the rejection %v, want none", q)
		}

		if r := f.do(t, "POST", base+"/retire", "", `{"reason":"停止采集"}`, admin...); r.status != 202 {
			t.Fatalf("request again: %d %v", r.status, r.body)
		}
		r = f.do(t, "POST", base+"/retire/withdraw", "", "", admin...)
		if _, has := r.body["retire_request"]; r.status != 200 || r.body["status"] != "published" || has {
			t.Errorf("withdraw: got %d %v, want 200 published, no request", r.status, r.body)
		}
		if r := f.do(t, "POST", base+"/retire/withdraw", "", "", admin...); r.status != 409 || r.body["code"] != "retire_not_requested" {
			t.Errorf("withdraw again: %d %v, want 409 retire_not_requested", r.status, r.body)
		}

		if r := f.do(t, "POST", base+"/retire", "", `{"reason":"停止采集"}`, admin...); r.status != 202 {
			t.Fatalf("request a third time: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", base+"/retire/approve", "", "", op...); r.status != 200 || r.body["status"] != "retired" {
			t.Errorf("approve: got %d %v, want 200 retired", r.status, r.body)
		}
		if r := f.do(t, "GET", public, "", ""); r.status != 404 {
			t.Errorf("public entry once retired: %d, want 404", r.status)
		}

		// The operator retires at once.
		other := publishedEntry(t, f, admin, op)
		if r := f.do(t, "POST", other+"/retire", "", `{"reason":"清理重复目录"}`, op...); r.status != 200 || r.body["status"] != "retired" {
			t.Errorf("operator retires: got %d %v, want 200 retired", r.status, r.body)
		}
	})
}
