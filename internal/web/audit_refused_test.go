package web_test

import (
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditPageRefusedAudited: the audit log is personal data, and a
// user whose role may not read it (a department's reviewer) is refused
// the audit page (403) with a denied audit.read row naming the user, the
// filter given and why, as a refused read of a record is audited: the
// refusal left no row, so that a reviewer could ask who looked at a
// citizen without a trace. Verifying the chain reads hashes, not personal
// data, and is not audited, permitted or refused: a refused verify
// leaves no row. On both engines.
func TestAuditPageRefusedAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.loggedIn(t, "reviewer")
		const subject = "11010519491231002X"
		for _, tc := range []struct {
			path, detail string
			want         int
		}{
			{"/audit?subject=" + subject, `{"reason":"forbidden","subject":"` + subject + `"}`, 1},
			{"/audit/verify", `{"reason":"forbidden"}`, 0},
			// The + of an offset sent unencoded is recorded, as the API's
			// row records it (audit.LogFilter); the row kept the space the
			// query made of it.
			{"/audit?since=2026-12-07T00:00:00+08:00", `{"reason":"forbidden","since":"2026-12-07T00:00:00+08:00"}`, 1},
		} {
			if r := c.get(tc.path); r.Status != http.StatusForbidden {
				t.Fatalf("GET %s as a reviewer: %d, want 403", tc.path, r.Status)
			}
			n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'audit.read' AND object_type = 'audit_log'
				AND outcome = 'denied' AND actor_name = 'reviewer' AND detail = $1`, tc.detail)
			if n != tc.want {
				t.Errorf("GET %s as a reviewer: %d denied audit.read rows with detail %s, want %d", tc.path, n, tc.detail, tc.want)
			}
		}
	})
}

// TestAuditPageOffsetUnencoded: the audit page reads a since or until whose
// offset's + was sent unencoded (?since=2026-12-07T00:00:00+08:00, typed
// or from a shared link, as the API's docs show it) as the API does
// (text.QueryTime), and its audit.read row records the time as meant; the
// page refused it (400 起始日期应为年-月-日). On both engines.
func TestAuditPageOffsetUnencoded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.loggedIn(t, "auditor")
		const path = "/audit?since=2026-12-07T00:00:00+08:00&until=2026-12-08T00:00:00+08:00"
		if r := c.get(path); r.Status != http.StatusOK {
			t.Fatalf("GET %s as an auditor: %d, want 200", path, r.Status)
		}
		const detail = `{"since":"2026-12-07T00:00:00+08:00","until":"2026-12-08T00:00:00+08:00"}`
		n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'audit.read' AND object_type = 'audit_log'
			AND outcome = 'ok' AND actor_name = 'auditor' AND detail = $1`, detail)
		if n != 1 {
			t.Errorf("GET %s as an auditor: %d audit.read rows with detail %s, want 1", path, n, detail)
		}
	})
}
