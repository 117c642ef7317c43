package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// replayRights is what a test of a replay's check of its caller
// (Route.Recheck) needs: its fixture, 民政's administrator's account id,
// and the count of that account's denied rows of an action.
type replayRights struct {
	f  *fixture
	db *sqldb.DB
	id int64
}

func newReplayRights(t *testing.T, db *sqldb.DB) replayRights {
	f := newFixture(t, db)
	var id int64
	if err := db.Read().QueryRowContext(t.Context(), `SELECT id FROM users WHERE username = 'mz.admin'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return replayRights{f: f, db: db, id: id}
}

// change has the operator change mz.admin's account (PATCH patch).
func (rr replayRights) change(t *testing.T, patch string) {
	t.Helper()
	if r := rr.f.do(t, "PATCH", "/api/v1/users/"+itoa(rr.id), rr.f.opKey, patch); r.status != 200 {
		t.Fatalf("change mz.admin %s: got %d %v", patch, r.status, r.body)
	}
}

// denied counts mz.admin's denied rows of action.
func (rr replayRights) denied(t *testing.T, action string) int {
	t.Helper()
	var n int
	if err := rr.db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM audit_log
		WHERE action = $1 AND outcome = 'denied' AND actor_id = $2`, action, itoa(rr.id)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// keyed runs the scenario of one keyed route: mz.admin makes the
// request under an Idempotency-Key (want its status), its retry is the
// first answer replayed; once change has changed its account, a fresh
// request of it (under another key) and its retry under the first key
// are both refused so (want code, the same message), each leaving a
// denied row of action, and the retry is no replay; table counts the
// same before and after the retries.
func (rr replayRights) keyed(t *testing.T, method, path, body string, want int, patch, action, code, table string) {
	t.Helper()
	f := rr.f
	hdr := append([]string{"Idempotency-Key", "replay-rights-1"}, f.session(t, "mz.admin")...)
	first := f.do(t, method, path, "", body, hdr...)
	if first.status != want {
		t.Fatalf("first request: got %d %v, want %d", first.status, first.body, want)
	}
	rows := f.count(t, table)
	if r := f.do(t, method, path, "", body, hdr...); r.status != want || r.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry with the right: got %d %q %v, want the first answer replayed",
			r.status, r.header.Get("Idempotent-Replayed"), r.body)
	}
	rr.change(t, patch)
	session := f.session(t, "mz.admin")
	before := rr.denied(t, action)
	fresh := f.do(t, method, path, "", body, append([]string{"Idempotency-Key", "replay-rights-2"}, session...)...)
	if fresh.status != 403 || fresh.body["code"] != code {
		t.Fatalf("fresh request after the change: got %d %v, want 403 %s", fresh.status, fresh.body, code)
	}
	retry := f.do(t, method, path, "", body, append([]string{"Idempotency-Key", "replay-rights-1"}, session...)...)
	if retry.status != 403 || retry.header.Get("Idempotent-Replayed") != "" || retry.body["code"] != code ||
		retry.body["detail"] != fresh.body["detail"] {
		t.Errorf("retry after the change: got %d %q %v, want the fresh request's 403 %v, not a replay",
			retry.status, retry.header.Get("Idempotent-Replayed"), retry.body, fresh.body)
	}
	if n := rr.denied(t, action); n != before+2 {
		t.Errorf("%d denied %s rows of mz.admin after the fresh request and the retry, want %d", n, action, before+2)
	}
	if n := f.count(t, table); n != rows {
		t.Errorf("%d rows of %s after the retries, want %d", n, table, rows)
	}
}

// TestReplayRechecksRights: an Idempotency-Key's answer is replayed only
// to a caller who may still make the request. 民政's administrator
// creates an app under a key; demoted to reviewer, its retry was answered
// 201 with the app, though a fresh request of the reviewer is refused.
// Now it gets the fresh request's 403 and denied app.create row. On both
// engines.
func TestReplayRechecksRights(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rr := newReplayRights(t, db)
		rr.keyed(t, "POST", "/api/v1/apps", `{"name":"婚姻核验","scopes":["catalog.read"]}`, 201,
			`{"role":"reviewer"}`, "app.create", "forbidden", "apps")
	})
}

// TestReplayRechecksUserCreation: 民政's administrator adds an account to
// 民政 under a key; moved to the operator's department, it manages 民政's
// accounts no more (Allow still lets it create accounts, its own
// department's): its retry was answered 201 with the account; now 403
// as a fresh request, with its denied user.create row.
func TestReplayRechecksUserCreation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rr := newReplayRights(t, db)
		body := `{"username":"mz.clerk","display_name":"民政办事员","department_id":` + itoa(rr.f.otherID) +
			`,"role":"reviewer","password":"Correct-Horse-9"}`
		rr.keyed(t, "POST", "/api/v1/users", body, 201,
			`{"department_id":`+itoa(rr.f.deptID)+`}`, "user.create", "forbidden", "users")
	})
}

// TestReplayRechecksRotation: 民政's administrator rotates the key of
// 民政's app under a key; moved to the operator's department, it manages
// that app no more: its retry was answered 201 with the rotation; now
// 403 as a fresh request, with its denied app.key.rotate row.
func TestReplayRechecksRotation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rr := newReplayRights(t, db)
		rr.keyed(t, "POST", "/api/v1/apps/"+itoa(rr.f.otherAppID)+"/rotate", `{"grace_hours":1}`, 201,
			`{"department_id":`+itoa(rr.f.deptID)+`}`, "app.key.rotate", "forbidden", "app_keys")
	})
}
