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
