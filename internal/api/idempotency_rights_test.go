package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReplayRechecksRights: an Idempotency-Key's answer is replayed only
// to a caller who may still make the request. 民政's administrator
// creates an app under a key, and its retry is answered with the first
// answer; demoted to reviewer, logged in again, its retry was answered
// 201 with the app, though a fresh request of the reviewer is refused.
// Now it gets the fresh request's 403, and its denied app.create row,
// not the replay. On both engines.
func TestReplayRechecksRights(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		const app = `{"name":"婚姻核验","scopes":["catalog.read"]}`
		admin := f.session(t, "mz.admin")
		hdr := append([]string{"Idempotency-Key", "mz-app-1"}, admin...)
		first := f.do(t, "POST", "/api/v1/apps", "", app, hdr...)
		if first.status != 201 {
			t.Fatalf("create the app: got %d %v", first.status, first.body)
		}
		apps := f.count(t, "apps")
		if r := f.do(t, "POST", "/api/v1/apps", "", app, hdr...); r.status != 201 || r.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry by the administrator: got %d %q %v, want the first answer replayed",
				r.status, r.header.Get("Idempotent-Replayed"), r.body)
		}
		var id int64
		if err := db.Read().QueryRowContext(t.Context(), `SELECT id FROM users WHERE username = 'mz.admin'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if r := f.do(t, "PATCH", "/api/v1/users/"+itoa(id), f.opKey, `{"role":"reviewer"}`); r.status != 200 {
			t.Fatalf("demote mz.admin: got %d %v", r.status, r.body)
		}
		denied := func() int {
			t.Helper()
			var n int
			if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM audit_log
				WHERE action = 'app.create' AND outcome = 'denied' AND actor_id = $1`, itoa(id)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := denied()
		hdr = append([]string{"Idempotency-Key", "mz-app-1"}, f.session(t, "mz.admin")...)
		r := f.do(t, "POST", "/api/v1/apps", "", app, hdr...)
		if r.status != 403 || r.body["code"] != "forbidden" || r.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("retry by the demoted reviewer: got %d %q %v, want 403 forbidden, not a replay",
				r.status, r.header.Get("Idempotent-Replayed"), r.body)
		}
		if n := denied(); n != before+1 {
			t.Errorf("%d denied app.create rows of the reviewer after its retry, want %d", n, before+1)
		}
		if n := f.count(t, "apps"); n != apps {
			t.Errorf("%d apps after the retries, want %d", n, apps)
		}
	})
}
