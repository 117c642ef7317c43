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
