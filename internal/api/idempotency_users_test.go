package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestIdempotencyKeyPerUser: the Idempotency-Keys of staff logged in
// (sessions) are each account's own. Two accounts sending the same key,
// method, path and body each get their request run (an app of each
// department), neither answered with the other's response; another body
// under a key another account used is run too, not refused as the reuse
// of a key (409 idempotency_key_reused would tell that someone else used
// it). A retry by the same account replays its own answer. On both
// engines.
func TestIdempotencyKeyPerUser(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op, admin := f.session(t, "nh.op"), f.session(t, "mz.admin")
		create := func(who []string, key, name string) response {
			t.Helper()
			return f.do(t, "POST", "/api/v1/apps", "", `{"name":"`+name+`","scopes":["catalog.read"]}`,
				append([]string{"Idempotency-Key", key}, who...)...)
		}
		appID := func(r response) string {
			app, _ := r.body["app"].(map[string]any)
			return jsonNumber(app["id"])
		}
		apps := f.count(t, "apps")

		first := create(op, "same", "共享查询")
		second := create(admin, "same", "共享查询")
		if first.status != 201 || second.status != 201 || second.header.Get("Idempotent-Replayed") != "" ||
			second.body["api_key"] == nil || appID(first) == appID(second) {
			t.Errorf("same key and request by two accounts: %d %v, then %d %v %v; want two apps, the second not replayed",
				first.status, first.body, second.status, second.header.Get("Idempotent-Replayed"), second.body)
		}
		if n := f.count(t, "apps"); n != apps+2 {
			t.Errorf("%d apps, want %d", n, apps+2)
		}
		if again := create(admin, "same", "共享查询"); again.header.Get("Idempotent-Replayed") != "true" || appID(again) != appID(second) {
			t.Errorf("retry by the second account: %d %v, want its own answer replayed (app %s)", again.status, again.body, appID(second))
		}

		if r := create(op, "other", "主管查询"); r.status != 201 {
			t.Fatalf("create under a new key: %d %v", r.status, r.body)
		}
		if r := create(admin, "other", "民政查询"); r.status != 201 || r.header.Get("Idempotent-Replayed") != "" || r.body["api_key"] == nil {
			t.Errorf("another body under a key another account used: %d %v, want its app created", r.status, r.body)
		}
		if n := f.count(t, "apps"); n != apps+4 {
			t.Errorf("%d apps, want %d", n, apps+4)
		}
	})
}
