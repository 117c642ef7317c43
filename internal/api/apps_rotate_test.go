package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRotateKeepsEarlierGrace: POST /api/v1/apps/{id}/rotate gives the key
// it replaces grace_hours and leaves the grace an earlier rotation gave an
// older key as it was: a second rotation with a shorter grace does not cut
// it short. On both engines.
func TestRotateKeepsEarlierGrace(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		path := "/api/v1/apps/" + itoa(f.otherAppID)
		for _, body := range []string{`{"grace_hours":24}`, `{"grace_hours":1}`} {
			if r := f.do(t, "POST", path+"/rotate", f.opKey, body); r.status != 201 {
				t.Fatalf("rotate %s: got %d %v", body, r.status, r.body)
			}
		}
		r := f.do(t, "GET", path, f.opKey, "")
		keys, _ := r.body["keys"].([]any)
		if r.status != 200 || len(keys) != 3 {
			t.Fatalf("GET %s: %d %v", path, r.status, r.body)
		}
		first := strings.Split(f.readKey, "_")[1]
		want := map[string]any{first: t0.Add(24 * time.Hour).Format(time.RFC3339)}
		for _, k := range keys {
			k := k.(map[string]any)
			if w, ok := want[k["key_id"].(string)]; ok && k["expires_at"] != w {
				t.Errorf("the first key expires %v after a second rotation, want %v (its grace from the first)", k["expires_at"], w)
			}
		}
		if r := f.do(t, "GET", "/api/v1/departments", f.readKey, ""); r.status != 200 {
			t.Errorf("the first key in its grace: got %d", r.status)
		}
	})
}

// TestRotateDefaultGrace: a rotation without grace_hours (no body, or {})
// gives the key it replaces 24 hours, as the console's form does; an
// explicit 0 still revokes it at once. On both engines.
func TestRotateDefaultGrace(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		path := "/api/v1/apps/" + itoa(f.otherAppID)
		current := f.readKey
		for _, body := range []string{"", `{}`} {
			r := f.do(t, "POST", path+"/rotate", f.opKey, body)
			if r.status != 201 {
				t.Fatalf("rotate %q: got %d %v", body, r.status, r.body)
			}
			replaced := current
			current = r.body["api_key"].(string)
			if r := f.do(t, "GET", "/api/v1/departments", replaced, ""); r.status != 200 {
				t.Errorf("rotate %q: the replaced key got %d, want 200 (24 hours' grace)", body, r.status)
			}
			r = f.do(t, "GET", path, f.opKey, "")
			for _, k := range r.body["keys"].([]any) {
				k := k.(map[string]any)
				if k["key_id"] == strings.Split(replaced, "_")[1] && k["expires_at"] != t0.Add(24*time.Hour).Format(time.RFC3339) {
					t.Errorf("rotate %q: the replaced key expires %v, want 24 hours on", body, k["expires_at"])
				}
			}
		}
		if r := f.do(t, "POST", path+"/rotate", f.opKey, `{"grace_hours":0}`); r.status != 201 {
			t.Fatalf("rotate with 0: got %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/departments", current, ""); r.status != 401 {
			t.Errorf("after a rotation with grace_hours 0 the old key got %d, want 401", r.status)
		}
	})
}

// TestRotateIdempotent: a rotation retried under the same Idempotency-Key
// (its answer was lost) issues no second key: the retry replays the first
// answer without the secret, which is stored nowhere, and says so; the
// same key with another body is refused. On both engines.
func TestRotateIdempotent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		path := "/api/v1/apps/" + itoa(f.otherAppID)
		first := f.do(t, "POST", path+"/rotate", f.opKey, "", "Idempotency-Key", "rotate-1")
		secret, _ := first.body["api_key"].(string)
		if first.status != 201 || !strings.HasPrefix(secret, "htk_") {
			t.Fatalf("rotate: got %d %v", first.status, first.body)
		}
		keyID := first.body["key"].(map[string]any)["key_id"]
		again := f.do(t, "POST", path+"/rotate", f.opKey, "", "Idempotency-Key", "rotate-1")
		notice, _ := again.body["notice"].(string)
		if again.status != 201 || again.header.Get("Idempotent-Replayed") != "true" || again.body["api_key"] != nil ||
			again.body["api_key_withheld"] != true || !strings.Contains(notice, "/api/v1/apps/"+itoa(f.otherAppID)+"/rotate") {
			t.Errorf("replay: got %d %v %v", again.status, again.header, again.body)
		}
		if k, _ := again.body["key"].(map[string]any); k == nil || k["key_id"] != keyID {
			t.Errorf("replay names key %v, want the first answer's %v", again.body["key"], keyID)
		}
		if r := f.do(t, "GET", path, f.opKey, ""); len(r.body["keys"].([]any)) != 2 {
			t.Errorf("keys after a retried rotation: %v, want the replaced one and one new", r.body["keys"])
		}
		if r := f.do(t, "POST", path+"/rotate", f.opKey, `{"grace_hours":0}`, "Idempotency-Key", "rotate-1"); r.status != 409 ||
			r.body["code"] != "idempotency_key_reused" {
			t.Errorf("same key, another body: got %d %v, want 409 idempotency_key_reused", r.status, r.body)
		}
		if n := f.count(t, "idempotency_keys WHERE body LIKE '%htk%'"); n != 0 {
			t.Errorf("%d kept answers hold an API key", n)
		}
		if r := f.do(t, "GET", "/api/v1/departments", secret, ""); r.status != 200 {
			t.Errorf("the key the first answer showed: got %d, want 200", r.status)
		}
	})
}
