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
