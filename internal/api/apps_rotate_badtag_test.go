package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRotateIfMatchNotATag: a rotation whose If-Match names no key of the
// app is told so, nothing issued or revoked, where it was told the keys
// had been rotated since and to use the key shown then, as if it had
// rotated: the current key's id unquoted, or as a weak tag (which never
// matches), is refused 400 bad_if_match as every route reading If-Match
// refuses one; a strong tag of no key of the app 409 concurrent_update
// saying that the tag is not the app's current one. A tag of the app's
// older key is still told the keys were rotated since. On both engines.
func TestRotateIfMatchNotATag(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		path := "/api/v1/apps/" + itoa(f.otherAppID)
		tag := f.do(t, "GET", path, f.opKey, "").header.Get("ETag")
		for _, ifMatch := range []string{strings.Trim(tag, `"`), "W/" + tag} {
			r := f.do(t, "POST", path+"/rotate", f.opKey, `{"grace_hours":0}`, "If-Match", ifMatch)
			if detail, _ := r.body["detail"].(string); r.status != 400 || r.body["code"] != "bad_if_match" || strings.Contains(detail, "轮换过") {
				t.Errorf("If-Match %s: %d %v, want 400 bad_if_match", ifMatch, r.status, r.body)
			}
		}
		r := f.do(t, "POST", path+"/rotate", f.opKey, `{"grace_hours":0}`, "If-Match", `"0251135ec3dd"`)
		if detail, _ := r.body["detail"].(string); r.status != 409 || r.body["code"] != "concurrent_update" || strings.Contains(detail, "轮换过") ||
			!strings.Contains(detail, "不是该应用密钥的当前标签") || !strings.Contains(detail, "本次未签发新密钥，也未吊销任何密钥") {
			t.Errorf("If-Match of no key: %d %v, want 409 concurrent_update saying the tag is not the current one", r.status, r.body)
		}
		if r := f.do(t, "GET", path, f.opKey, ""); len(r.body["keys"].([]any)) != 1 || r.header.Get("ETag") != tag {
			t.Fatalf("keys after the refusals: %v, ETag %s, want the one key, %s", r.body["keys"], r.header.Get("ETag"), tag)
		}
		if r := f.do(t, "POST", path+"/rotate", f.opKey, `{"grace_hours":0}`, "If-Match", tag); r.status != 201 {
			t.Fatalf("rotate with the ETag: %d %v", r.status, r.body)
		}
		r = f.do(t, "POST", path+"/rotate", f.opKey, `{"grace_hours":0}`, "If-Match", tag)
		if detail, _ := r.body["detail"].(string); r.status != 409 || !strings.Contains(detail, "已经轮换过") {
			t.Errorf("If-Match of the older key: %d %v, want 409 saying the keys were rotated since", r.status, r.body)
		}
	})
}
