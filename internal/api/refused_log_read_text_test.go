package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRefusedLogReadKeepsNoControlText: a refused read of the audit log
// is recorded before its query is checked, and its row kept the filter's
// values as given, a bidi override included; now such a value is kept
// as a marker (audit.LogReadEvent). Both engines.
func TestRefusedLogReadKeepsNoControlText(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		if r := rf.do(t, "GET", "/api/v1/audit?actor=%E2%80%AEnimda.tag", rf.opReadKey, ""); r.status != 403 {
			t.Fatalf("refused read: %d %v, want 403", r.status, r.body)
		}
		n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'audit.read' AND outcome = 'denied'
			AND actor_name = '数据查询' AND detail = $1`, `{"actor":"（含无效字符，未记录）","reason":"forbidden"}`)
		if n != 1 {
			t.Errorf("%d denied audit.read rows with the actor filter as a marker, want 1", n)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE detail LIKE $1`, "%\u202e%"); n != 0 {
			t.Errorf("%d audit rows hold U+202E in their detail", n)
		}
	})
}
