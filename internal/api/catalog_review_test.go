package api_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
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
			_, err := orgtest.CreateUser(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"}, org.NewUser{Username: "nh.reviewer",
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

		const rule = "只有平台管理员或政务数据主管部门的审核员可以审核数据资源目录"
		for _, c := range []struct{ what, path, body string }{
			{"approves", base + "/approve", ""},
			{"rejects", base + "/reject", `{"reason":"不完整"}`},
			{"decides", base + "/conflicts/1/decision", `{"authoritative_entry_id":1}`},
		} {
			if r := expect("another department's reviewer "+c.what, f.do(t, "POST", c.path, "", c.body, other...), 403); r.body["detail"] != rule {
				t.Errorf("another department's reviewer %s: refused with %q, want %q", c.what, r.body["detail"], rule)
			}
		}
		if r := expect("reviewer edits a level", f.do(t, "PUT", "/api/v1/catalog/security-levels/3", "", `{"name":"3级"}`, reviewer...), 403); r.body["detail"] != "只有平台管理员可以修改安全级别定义" {
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
			err := db.Read().QueryRowContext(ctx, `SELECT actor_kind, actor_name, department_id FROM audit_log WHERE action = $1 AND outcome = 'ok'`,
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

// TestRevisionInReviewQueue: a submitted revision of a published entry is
// listed by status=submitted (the reviewers' queue), marked with the
// revision's state, while the entry stays in the published list; sent
// back, it is in its department's list of drafts and rejected entries;
// approved, it leaves the queue. On both engines.
func TestRevisionInReviewQueue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		expect := func(what string, r response, status int) response {
			t.Helper()
			if r.status != status {
				t.Fatalf("%s: got %d %v, want %d", what, r.status, r.body, status)
			}
			return r
		}
		list := func(what, query string, session []string, want int, revision string) {
			t.Helper()
			r := expect(what, f.do(t, "GET", "/api/v1/catalog/entries?"+query, "", "", session...), 200)
			items := r.body["items"].([]any)
			if len(items) != want || r.body["total"] != float64(want) {
				t.Fatalf("%s (%s): %v, want %d", what, query, r.body, want)
			}
			if want == 1 {
				if got, _ := items[0].(map[string]any)["revision_status"].(string); got != revision {
					t.Errorf("%s (%s): revision_status %q, want %q", what, query, got, revision)
				}
			}
		}
		r := expect("create", f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, admin...), 201)
		base := "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		expect("submit", f.do(t, "POST", base+"/submit", "", "", admin...), 200)
		expect("approve", f.do(t, "POST", base+"/approve", "", "", op...), 200)
		list("queue after publication", "status=submitted", op, 0, "")

		rev := strings.Replace(marriageEntry, `"update_frequency":"realtime"`, `"update_frequency":"daily"`, 1)
		expect("revise", f.do(t, "PUT", base, "", rev, admin...), 200)
		list("draft revision", "status=draft,rejected", admin, 1, "draft")
		expect("submit revision", f.do(t, "POST", base+"/submit", "", "", admin...), 200)
		list("queue", "status=submitted", op, 1, "submitted")
		list("queue by text", "status=submitted&q="+url.QueryEscape("婚姻登记"), op, 1, "submitted")
		list("published list", "", op, 1, "submitted")
		list("drafts", "status=draft,rejected", admin, 0, "")

		expect("reject", f.do(t, "POST", base+"/reject", "", `{"reason":"更新周期与业务不符"}`, op...), 200)
		list("queue after rejection", "status=submitted", op, 0, "")
		list("drafts after rejection", "status=draft,rejected", admin, 1, "rejected")

		expect("submit again", f.do(t, "POST", base+"/submit", "", "", admin...), 200)
		list("queue again", "status=submitted", op, 1, "submitted")
		expect("approve revision", f.do(t, "POST", base+"/approve", "", "", op...), 200)
		list("queue after approval", "status=submitted", op, 0, "")
		list("published after approval", "", op, 1, "")
	})
}
