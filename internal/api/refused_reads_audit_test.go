package api_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRefusedAuditLogReadAudited: reading the audit log is a read of
// personal data, and a caller refused it (an app with data.read only, a
// department's reviewer) leaves a denied audit.read row naming it, the
// filter it gave and why, as a refused read of records does; the
// route-level scope check refused it without a trace, so that a reviewer
// could ask who looked at a citizen unseen. Verifying the chain reads
// hashes, not personal data, and is not audited, permitted or refused: a
// refused verify leaves no row (it left one, though a permitted one did
// not).
func TestRefusedAuditLogReadAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		subject := recordstest.CitizenID(7)
		reviewer := rf.session(t, "mz.reviewer")
		for _, c := range []struct {
			name, path, key, actor, detail string
			hdr                            []string
			want                           int
		}{
			{"app", "/api/v1/audit?subject_id=" + subject, rf.opReadKey, "数据查询", `{"reason":"forbidden","subject_id":"` + subject + `"}`, nil, 1},
			{"reviewer", "/api/v1/audit?subject_id=" + subject + "&action=records.read", "", "mz.reviewer",
				`{"action":"records.read","reason":"forbidden","subject_id":"` + subject + `"}`, reviewer, 1},
			{"verify", "/api/v1/audit/verify", rf.opReadKey, "数据查询", `{"reason":"forbidden"}`, nil, 0},
		} {
			if r := rf.do(t, "GET", c.path, c.key, "", c.hdr...); r.status != 403 || r.body["code"] != "forbidden" {
				t.Fatalf("%s: %d %v, want 403 forbidden", c.name, r.status, r.body)
			}
			n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'audit.read' AND object_type = 'audit_log'
				AND outcome = 'denied' AND actor_name = $1 AND detail = $2`, c.actor, c.detail)
			if n != c.want {
				t.Errorf("%s: %d denied audit.read rows of %s with detail %s, want %d", c.name, n, c.actor, c.detail, c.want)
			}
		}
	})
}

// TestDataReadRoutesAuditRefusals: a route that reads personal data and
// refuses by scope before its handler (audit.read, data.read) says what
// its denied row is (Route.Read); the records routes, which take any
// caller and refuse in their handler, audit it there
// (TestDeniedReadsAudited). The chain's verification is exempt: it reads
// hashes and sequence numbers, not personal data, and is not audited,
// permitted or refused (docs/design.md); it has no Read.
func TestDataReadRoutesAuditRefusals(t *testing.T) {
	a := &api.API{}
	a.Register(http.NewServeMux())
	for _, rt := range a.Routes() {
		if rt.Path == "/api/v1/audit/verify" {
			if rt.Read != nil {
				t.Errorf("%s %s reads no personal data and audits its refusal (Route.Read)", rt.Method, rt.Path)
			}
			continue
		}
		if slices.Contains([]string{"audit.read", "data.read"}, rt.Scope) && rt.Read == nil {
			t.Errorf("%s %s reads personal data under scope %s and does not audit its refusal (Route.Read)", rt.Method, rt.Path, rt.Scope)
		}
	}
}

// TestRevokedKeyProbeFindable: a revoked key's attempt at a citizen's
// record is refused (401), and its row is found by the citizen, the app
// and its department: it names the subject in its canonical form, as a
// read's row does (the 18-digit ID for the old 15-digit one), the
// purpose and the app whose key it was, and holds no secret. The row was
// anonymous, with the ID only inside the path. A key id no key has stays
// anonymous, as a wrong secret of a key does
// (TestWrongSecretKeyRowAnonymous): only a right secret names the app.
func TestRevokedKeyProbeFindable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		subject := recordstest.CitizenID(9)
		old := subject[:6] + subject[8:17] // the same citizen's 15-digit ID
		keyID := strings.Split(rf.mzKey, "_")[1]
		secret := strings.SplitN(rf.mzKey, "_", 3)[2]
		apps := rf.do(t, "GET", "/api/v1/apps?department_id="+strconv.FormatInt(rf.mzID, 10), rf.opKey, "")
		var appID string
		for _, it := range apps.body["items"].([]any) {
			if app := it.(map[string]any); app["name"] == "民政推送" {
				appID = jsonNumber(app["id"])
			}
		}
		if r := rf.do(t, "DELETE", "/api/v1/apps/"+appID+"/keys/"+keyID, rf.opKey, ""); r.status != 204 {
			t.Fatalf("revoke key: %d %v", r.status, r.body)
		}
		path := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10) + "/subjects/" + old + "?purpose=核验"
		if r := rf.do(t, "GET", path, rf.mzKey, ""); r.status != 401 {
			t.Fatalf("revoked key: %d %v, want 401", r.status, r.body)
		}
		for _, filter := range []string{"subject_id=" + subject, "actor=民政推送", "department_id=" + strconv.FormatInt(rf.mzID, 10)} {
			r := rf.do(t, "GET", "/api/v1/audit?action=auth.key&"+filter, rf.opKey, "")
			items, _ := r.body["items"].([]any)
			if r.status != 200 || len(items) != 1 {
				t.Errorf("audit ?%s: %d, %d rows, want the revoked key's", filter, r.status, len(items))
				continue
			}
			row := items[0].(map[string]any)
			if row["subject_id"] != subject || row["purpose"] != "核验" || row["object_id"] != keyID {
				t.Errorf("audit ?%s: %v, want subject %s, purpose 核验, key %s", filter, row, subject, keyID)
			}
		}
		n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE detail LIKE $1 OR subject_id LIKE $1 OR purpose LIKE $1`, "%"+secret+"%")
		if n != 0 {
			t.Errorf("%d audit rows hold the key's secret", n)
		}

		other := "htk_0123456789ab_" + secret
		if r := rf.do(t, "GET", path, other, ""); r.status != 401 {
			t.Fatalf("unknown key: %d %v, want 401", r.status, r.body)
		}
		r := rf.do(t, "GET", "/api/v1/audit?action=auth.key&actor_id=0123456789ab", rf.opKey, "")
		items, _ := r.body["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("unknown key: %d rows, want 1", len(items))
		}
		actor := items[0].(map[string]any)["actor"].(map[string]any)
		if actor["name"] != "" || actor["kind"] != "anonymous" || items[0].(map[string]any)["subject_id"] != subject {
			t.Errorf("unknown key's row: %v, want anonymous without a name, naming the subject", items[0])
		}
	})
}
