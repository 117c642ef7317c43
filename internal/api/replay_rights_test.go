package api_test

import (
	"strings"
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
// denied row of action (none checked when action is "", a route without
// audit), and the retry is no replay; table counts the same before and
// after the retries.
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
	if n := rr.denied(t, action); action != "" && n != before+2 {
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

// TestReplayMovedImplicitDepartment: 民政's administrator creates an app
// under a key, its body naming no department (so 民政's); moved to the
// operator's department, its retry was answered 201 with 民政's app, the
// check of the retry judging the operator's department it now implies.
// The key's request holds the department implied, so the retry is now
// another request: 409 idempotency_key_reused, no replay, no new app.
func TestReplayMovedImplicitDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rr := newReplayRights(t, db)
		f := rr.f
		body := `{"name":"婚姻核验","scopes":["catalog.read"]}`
		hdr := append([]string{"Idempotency-Key", "moved-1"}, f.session(t, "mz.admin")...)
		if r := f.do(t, "POST", "/api/v1/apps", "", body, hdr...); r.status != 201 {
			t.Fatalf("first request: got %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", "/api/v1/apps", "", body, hdr...); r.status != 201 || r.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry before the move: got %d %q %v, want the first answer replayed",
				r.status, r.header.Get("Idempotent-Replayed"), r.body)
		}
		apps := f.count(t, "apps")
		rr.change(t, `{"department_id":`+itoa(f.deptID)+`}`)
		hdr = append([]string{"Idempotency-Key", "moved-1"}, f.session(t, "mz.admin")...)
		retry := f.do(t, "POST", "/api/v1/apps", "", body, hdr...)
		if retry.status != 409 || retry.body["code"] != "idempotency_key_reused" || retry.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("retry after the move: got %d %q %v, want 409 idempotency_key_reused",
				retry.status, retry.header.Get("Idempotent-Replayed"), retry.body)
		}
		if n := f.count(t, "apps"); n != apps {
			t.Errorf("%d apps after the retry, want %d", n, apps)
		}
	})
}

// TestReplayRechecksEntryCreation: 民政's administrator creates an entry
// of 民政, naming the department, under a key; moved to the operator's
// department it compiles 民政's catalog no more: its retry is refused 403
// as a fresh request (catalog.Actor.MayCreate), no entry made.
func TestReplayRechecksEntryCreation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rr := newReplayRights(t, db)
		body := `{"department_id":` + itoa(rr.f.otherID) + `,` + strings.TrimPrefix(marriageEntry, "{")
		rr.keyed(t, "POST", "/api/v1/catalog/entries", body, 201,
			`{"department_id":`+itoa(rr.f.deptID)+`}`, "", "forbidden", "catalog_entries")
	})
}

// TestReplayRechecksImportMapping: an import naming a saved mapping
// under a key; once the mapping is deleted, a fresh import naming it is
// refused 404, and so is the retry under the first key (the import's
// check before a replay reads the mapping again), not replayed.
func TestReplayRechecksImportMapping(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		saveImportMapping(t, f, key)
		const query = "?mapping=%E6%B0%91%E6%94%BF"
		if resp, body := keyedImport(t, f, key, "imp-1", query, "text/csv", importHeader+goodRow); resp.StatusCode != 201 {
			t.Fatalf("first import: got %d %s", resp.StatusCode, body)
		}
		if _, err := db.Write().ExecContext(t.Context(), `DELETE FROM catalog_import_mappings`); err != nil {
			t.Fatal(err)
		}
		fresh, freshBody := keyedImport(t, f, key, "imp-2", query, "text/csv", importHeader+goodRow)
		if fresh.StatusCode != 404 {
			t.Fatalf("fresh import after the mapping's deletion: got %d %s, want 404", fresh.StatusCode, freshBody)
		}
		retry, retryBody := keyedImport(t, f, key, "imp-1", query, "text/csv", importHeader+goodRow)
		if retry.StatusCode != 404 || retry.Header.Get("Idempotent-Replayed") != "" || retryBody != freshBody {
			t.Errorf("retry after the mapping's deletion: got %d %q %s, want the fresh import's 404 %s, not a replay",
				retry.StatusCode, retry.Header.Get("Idempotent-Replayed"), retryBody, freshBody)
		}
	})
}

// TestReplayRechecksTransfer: the operator transfers an entry under a
// key; made 民政's administrator (another operator made first), a fresh
// transfer is refused 403, and so is its retry under the first key
// (transferToMake), not replayed.
func TestReplayRechecksTransfer(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		tf := newTransferFixture(t, db)
		ids := itoa(tf.entryA2)
		if r := tf.transfer(t, tf.gaID, tf.mzID, ids, append([]string{"Idempotency-Key", "tr-1"}, tf.op...)...); r.status != 200 {
			t.Fatalf("first transfer: got %d %v", r.status, r.body)
		}
		var uid int64
		if err := db.Read().QueryRowContext(t.Context(), `SELECT id FROM users WHERE username = 'nh.op'`).Scan(&uid); err != nil {
			t.Fatal(err)
		}
		if r := tf.do(t, "POST", "/api/v1/users", tf.opKey, `{"username":"nh.op2","display_name":"主管二","department_id":`+
			itoa(tf.deptID)+`,"role":"operator","password":"Correct-Horse-9"}`); r.status != 201 {
			t.Fatalf("second operator: got %d %v", r.status, r.body)
		}
		if r := tf.do(t, "PATCH", "/api/v1/users/"+itoa(uid), tf.opKey, `{"role":"dept_admin","department_id":`+itoa(tf.mzID)+`}`); r.status != 200 {
			t.Fatalf("demote the operator: got %d %v", r.status, r.body)
		}
		s := tf.session(t, "nh.op")
		fresh := tf.transfer(t, tf.gaID, tf.mzID, ids, append([]string{"Idempotency-Key", "tr-2"}, s...)...)
		if fresh.status != 403 {
			t.Fatalf("fresh transfer after the demotion: got %d %v, want 403", fresh.status, fresh.body)
		}
		retry := tf.transfer(t, tf.gaID, tf.mzID, ids, append([]string{"Idempotency-Key", "tr-1"}, s...)...)
		if retry.status != 403 || retry.header.Get("Idempotent-Replayed") != "" || retry.body["detail"] != fresh.body["detail"] {
			t.Errorf("retry after the demotion: got %d %q %v, want the fresh transfer's 403 %v, not a replay",
				retry.status, retry.header.Get("Idempotent-Replayed"), retry.body, fresh.body)
		}
	})
}
