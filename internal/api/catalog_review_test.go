package api_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPlatformReviewerReviews: a reviewer (审核员) of the platform
// operator's department reviews the catalog — sees the submitted queue and
// the entry under review, rejects with a reason, approves, decides a
// source — and the audit rows and the version name that reviewer; a
// reviewer of another department is refused with the rule naming the roles
// that may; a reviewer edits no security level, the operator's alone.
func TestPlatformReviewerReviews(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.CreateUser(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"}, org.NewUser{Username: "nh.reviewer",
				DisplayName: "平台审核员", DepartmentID: f.deptID, Role: org.Reviewer, Password: password}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		admin, reviewer, other := f.session(t, "mz.admin"), f.session(t, "nh.reviewer"), f.session(t, "mz.reviewer")
		expect := func(what string, r response, status int) response {
			t.Helper()
			if r.status != status {
				t.Fatalf("%s: got %d %v, want %d", what, r.status, r.body, status)
			}
			return r
		}
		r := expect("create", f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, admin...), 201)
		base := "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		expect("submit", f.do(t, "POST", base+"/submit", "", "", admin...), 200)

		const rule = "只有平台主管部门或其审核员可以审核数据资源目录"
		for _, c := range []struct{ what, path, body string }{
			{"approves", base + "/approve", ""},
			{"rejects", base + "/reject", `{"reason":"不完整"}`},
			{"decides", base + "/conflicts/1/decision", `{"authoritative_entry_id":1}`},
		} {
			if r := expect("another department's reviewer "+c.what, f.do(t, "POST", c.path, "", c.body, other...), 403); r.body["detail"] != rule {
				t.Errorf("another department's reviewer %s: refused with %q, want %q", c.what, r.body["detail"], rule)
			}
		}
		if r := expect("reviewer edits a level", f.do(t, "PUT", "/api/v1/catalog/security-levels/3", "", `{"name":"3级"}`, reviewer...), 403); r.body["detail"] != "只有平台主管部门可以修改安全级别定义" {
			t.Errorf("reviewer edits a level: refused with %q", r.body["detail"])
		}

		r = expect("queue", f.do(t, "GET", "/api/v1/catalog/entries?status=submitted&facets=false", "", "", reviewer...), 200)
		if items := r.body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["name"] != "婚姻登记信息" {
			t.Errorf("the reviewer's queue: %v", r.body)
		}
		if r = expect("entry under review", f.do(t, "GET", base+"?view=working", "", "", reviewer...), 200); r.body["status"] != "submitted" {
			t.Errorf("entry under review: %v", r.body)
		}
		expect("reject without reason", f.do(t, "POST", base+"/reject", "", `{"reason":""}`, reviewer...), 400)
		r = expect("reject", f.do(t, "POST", base+"/reject", "", `{"reason":"共享条件不明确"}`, reviewer...), 200)
		if r.body["status"] != "rejected" || r.body["reject_reason"] != "共享条件不明确" {
			t.Errorf("rejected: %v", r.body)
		}
		expect("submit again", f.do(t, "POST", base+"/submit", "", "", admin...), 200)
		if r = expect("approve", f.do(t, "POST", base+"/approve", "", "", reviewer...), 200); r.body["status"] != "published" {
			t.Errorf("approved: %v", r.body)
		}
		r = expect("versions", f.do(t, "GET", base+"/versions", "", "", admin...), 200)
		if v := r.body["items"].([]any)[0].(map[string]any); v["reviewed_by"] != "nh.reviewer" {
			t.Errorf("published version reviewed by %v, want nh.reviewer", v["reviewed_by"])
		}
		for _, action := range []string{"catalog.reject", "catalog.approve"} {
			var kind, name string
			var dept int64
			err := db.Read().QueryRowContext(ctx, `SELECT actor_kind, actor_name, department_id FROM audit_log WHERE action = $1`,
				action).Scan(&kind, &name, &dept)
			if err != nil || kind != "user" || name != "nh.reviewer" || dept != f.deptID {
				t.Errorf("%s audited as %s %s of department %d (%v), want user nh.reviewer of %d", action, kind, name, dept, err, f.deptID)
			}
		}
		// The reviewer's queue is empty again, and it compiles nothing.
		r = expect("queue emptied", f.do(t, "GET", "/api/v1/catalog/entries?facets=false&status="+url.QueryEscape("submitted"), "", "", reviewer...), 200)
		if items := r.body["items"].([]any); len(items) != 0 {
			t.Errorf("queue after approval: %v", items)
		}
		expect("reviewer creates", f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, reviewer...), 403)
	})
}
