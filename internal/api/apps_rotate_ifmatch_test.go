package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRotateIfMatch: GET /api/v1/apps/{id} answers the tag of the app's
// keys (its newest key's id) as the ETag, and a rotation sent with it in
// If-Match rotates once: the same request retried (its answer lost,
// without Idempotency-Key) is refused 409 concurrent_update, no key issued
// or revoked, the key the first answered still valid; the first answer's
// ETag rotates on. Without If-Match a rotation is not checked. On both
// engines.
func TestRotateIfMatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		path := "/api/v1/apps/" + itoa(f.otherAppID)
		r := f.do(t, "GET", path, f.opKey, "")
		tag := r.header.Get("ETag")
		if want := `"` + strings.Split(f.readKey, "_")[1] + `"`; r.status != 200 || tag != want {
			t.Fatalf("GET %s: %d, ETag %q, want %s", path, r.status, tag, want)
		}
		r = f.do(t, "POST", path+"/rotate", f.opKey, `{"grace_hours":0}`, "If-Match", tag)
		if r.status != 201 {
			t.Fatalf("rotate with If-Match: %d %v", r.status, r.body)
		}
		k1 := r.body["api_key"].(string)
		next := r.header.Get("ETag")
		if want := `"` + strings.Split(k1, "_")[1] + `"`; next != want {
			t.Errorf("rotation's ETag %q, want %s", next, want)
		}

		r = f.do(t, "POST", path+"/rotate", f.opKey, `{"grace_hours":0}`, "If-Match", tag)
		if r.status != 409 || r.body["code"] != "concurrent_update" || !strings.Contains(r.body["detail"].(string), "本次未签发新密钥，也未吊销任何密钥") {
			t.Fatalf("rotation retried with its If-Match: %d %v, want 409 concurrent_update", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/departments", k1, ""); r.status != 200 {
			t.Errorf("the key the first rotation answered, after the retry: %d, want 200", r.status)
		}
		if r := f.do(t, "GET", path, f.opKey, ""); len(r.body["keys"].([]any)) != 2 {
			t.Errorf("keys after the retry: %v, want 2", r.body["keys"])
		}

		if r := f.do(t, "POST", path+"/rotate", f.opKey, `{"grace_hours":0}`, "If-Match", next); r.status != 201 {
			t.Errorf("rotate with the rotation's ETag: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", path+"/rotate", f.opKey, `{"grace_hours":0}`); r.status != 201 {
			t.Errorf("rotate without If-Match: %d %v", r.status, r.body)
		}
	})
}
