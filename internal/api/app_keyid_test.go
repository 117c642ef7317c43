package api_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRevokeKeyNeverEchoesAKey: a whole API key sent as the key to
// revoke, its id damaged, is refused (404 key_not_found) without
// repeating it, secret and all.
func TestRevokeKeyNeverEchoesAKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		path := "/api/v1/apps/" + itoa(f.otherAppID) + "/keys/"
		secret := strings.SplitN(f.readKey, "_", 3)[2]
		damaged := "htk_" + strings.ToUpper(strings.Split(f.readKey, "_")[1]) + "_" + secret
		r := f.do(t, "DELETE", path+url.PathEscape(damaged), f.opKey, "")
		if r.status != 404 || r.body["code"] != "key_not_found" || strings.Contains(fmt.Sprint(r.body), secret) {
			t.Errorf("revoke a damaged key: %d %v, want 404 key_not_found without the secret", r.status, r.body)
		}
	})
}

// TestRevokeWholeKeyRefused: DELETE /api/v1/apps/{id}/keys/{key_id} given a
// whole key (htk_<key id>_<secret>) in place of the id, its secret wrong
// or right, revokes nothing and repeats no secret: the API takes the key
// id alone (a secret in a URL would be logged), and org.RevokeKey, which
// takes whole keys from the CLI, refuses a wrong secret for every caller.
// On both engines.
func TestRevokeWholeKeyRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		path := "/api/v1/apps/" + itoa(f.otherAppID) + "/keys/"
		parts := strings.SplitN(f.readKey, "_", 3)
		id, secret := parts[1], parts[2]
		for _, whole := range []string{"htk_" + id + "_WRONGSECRET" + secret[:4], f.readKey} {
			r := f.do(t, "DELETE", path+url.PathEscape(whole), f.opKey, "")
			if r.status != 404 || r.body["code"] != "key_not_found" || strings.Contains(fmt.Sprint(r.body), secret[:8]) ||
				strings.Contains(fmt.Sprint(r.body), "WRONGSECRET") {
				t.Errorf("revoke by a whole key: %d %v, want 404 key_not_found without the secret", r.status, r.body)
			}
			if r := f.do(t, "GET", "/api/v1/departments", f.readKey, ""); r.status != 200 {
				t.Fatalf("the key after a refused revocation: %d %v, want it working", r.status, r.body)
			}
		}
		if r := f.do(t, "DELETE", path+id, f.opKey, ""); r.status != 204 {
			t.Errorf("revoke by the key id: %d %v, want 204", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/departments", f.readKey, ""); r.status != 401 {
			t.Errorf("the key after its revocation: %d %v, want 401", r.status, r.body)
		}
	})
}
