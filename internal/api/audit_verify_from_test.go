package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditVerifyFrom: GET /api/v1/audit/verify?from=SEQ:HASH, the head
// a verify reported before, verifies only the rows after it (from, rows):
// a row before it rewritten is not reported (the whole verify reports
// it), one after it is; a from of another hash is not intact
// (anchor_mismatch), and one not of the form SEQ:HASH is refused 400
// invalid_anchor naming from.
func TestAuditVerifyFrom(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		r := f.do(t, "GET", "/api/v1/audit/verify", f.opKey, "")
		head, _ := r.body["head"].(float64)
		from := fmt.Sprintf("%v:%v", r.body["head"], r.body["head_hash"])
		for range 2 {
			if r := f.do(t, "GET", "/api/v1/audit?limit=1", f.opKey, ""); r.status != 200 {
				t.Fatalf("GET /api/v1/audit: %d %v", r.status, r.body)
			}
		}
		r = f.do(t, "GET", "/api/v1/audit/verify?from="+from, f.opKey, "")
		if r.status != 200 || r.body["intact"] != true || r.body["from"] != head || r.body["rows"] != r.body["head"].(float64)-head {
			t.Fatalf("verify from %s: %d %v, want intact, the rows after it", from, r.status, r.body)
		}
		sqldbtest.Exec(t, db, `UPDATE audit_log SET purpose = 'x' WHERE seq = 2`)
		if r := f.do(t, "GET", "/api/v1/audit/verify?from="+from, f.opKey, ""); r.body["intact"] != true {
			t.Errorf("row 2 rewritten, verify from %s: %v, want intact (row 2 not read)", from, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/audit/verify", f.opKey, ""); r.body["intact"] != false {
			t.Errorf("row 2 rewritten, whole verify: %v, want not intact", r.body)
		}
		sqldbtest.Exec(t, db, fmt.Sprintf(`UPDATE audit_log SET purpose = 'x' WHERE seq = %v`, head+1))
		r = f.do(t, "GET", "/api/v1/audit/verify?from="+from, f.opKey, "")
		if p, _ := r.body["problem"].(map[string]any); r.body["intact"] != false || p["seq"] != head+1 || p["code"] != "row_edited" {
			t.Errorf("row %v rewritten, verify from %s: %v, want row_edited there", head+1, from, r.body)
		}
		wrong := fmt.Sprintf("%v:%s", head, strings.Repeat("0", 64))
		r = f.do(t, "GET", "/api/v1/audit/verify?from="+wrong, f.opKey, "")
		if p, _ := r.body["problem"].(map[string]any); r.status != 200 || r.body["intact"] != false || p["code"] != "anchor_mismatch" || r.body["rows"] != float64(0) {
			t.Errorf("verify from another hash: %d %v, want anchor_mismatch, no row read", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/audit/verify?from=12", f.opKey, ""); r.status != 400 || r.body["code"] != "invalid_anchor" || r.body["field"] != "from" {
			t.Errorf("verify from a malformed anchor: %d %v, want 400 invalid_anchor of from", r.status, r.body)
		}
	})
}
