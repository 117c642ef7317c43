package api_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestFailClosed: while the audit log cannot be written, every read of a
// subject's data and every push is refused with 503 and changes nothing;
// when the log comes back, service resumes and the chain is intact.
func TestFailClosed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		entry := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		subject := recordstest.CitizenID(4242)
		add := opLine("add", subject, beijing(rf.clock.Now().Add(-time.Hour)), map[string]string{"姓名": "赵六"})
		if r := rf.do(t, "POST", entry+"/ops", rf.gaKey, add); r.status != 201 {
			t.Fatalf("add: got %d %v", r.status, r.body)
		}
		read := entry + "/subjects/" + subject + "?purpose=核验"
		versions := rf.countWhere(t, `SELECT count(*) FROM record_versions`)
		auditRows := rf.countWhere(t, `SELECT count(*) FROM audit_log`)

		unblock := sqldbtest.BlockAudit(t, db)
		const calls = 20
		for i := range calls {
			r := rf.do(t, "GET", read, rf.gaKey, "")
			if r.status != 503 || r.body["code"] != "audit_unavailable" {
				t.Fatalf("read %d with the audit log down: got %d %v, want 503 audit_unavailable", i, r.status, r.body)
			}
			if _, served := r.body["values"]; served {
				t.Fatalf("read %d served data without an audit row: %v", i, r.body)
			}
		}
		change := opLine("change", subject, beijing(rf.clock.Now()), map[string]string{"姓名": "赵七"})
		if r := rf.do(t, "POST", entry+"/ops", rf.gaKey, change); r.status != 503 {
			t.Errorf("push with the audit log down: got %d %v, want 503", r.status, r.body)
		}
		if got := rf.countWhere(t, `SELECT count(*) FROM record_versions`); got != versions {
			t.Errorf("a refused push changed the records: %d versions, want %d", got, versions)
		}
		if got := rf.countWhere(t, `SELECT count(*) FROM audit_log`); got != auditRows {
			t.Errorf("audit rows changed while blocked: %d, want %d", got, auditRows)
		}

		unblock()
		if r := rf.do(t, "GET", read, rf.gaKey, ""); r.status != 200 {
			t.Fatalf("read after recovery: got %d %v", r.status, r.body)
		}
		if rep, err := audit.Verify(context.Background(), db.Read()); err != nil || rep.Problem != nil {
			t.Errorf("audit chain after recovery: %v %+v", err, rep.Problem)
		}
	})
}

// TestDatabaseUnavailable: while the database cannot serve, data calls are
// answered 503 with a Retry-After and a stable code, not 500; service resumes
// when it comes back.
func TestDatabaseUnavailable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		entry := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		subject := recordstest.CitizenID(4343)
		add := opLine("add", subject, beijing(rf.clock.Now().Add(-time.Hour)), map[string]string{"姓名": "钱八"})
		if r := rf.do(t, "POST", entry+"/ops", rf.gaKey, add); r.status != 201 {
			t.Fatalf("add: got %d %v", r.status, r.body)
		}
		read := entry + "/subjects/" + subject + "?purpose=核验"
		change := opLine("change", subject, beijing(rf.clock.Now()), map[string]string{"姓名": "钱九"})

		unblock := sqldbtest.Unavailable(t, db)
		want := map[any]bool{"database_unavailable": true, "audit_unavailable": true}
		for _, c := range []struct{ method, path, body string }{
			{"POST", entry + "/ops", change},
			{"GET", read, ""},
		} {
			r := rf.do(t, c.method, c.path, rf.gaKey, c.body)
			if r.status != 503 || !want[r.body["code"]] || r.header.Get("Retry-After") == "" {
				t.Errorf("%s %s with the database down: got %d %v (Retry-After %q), want 503 with a Retry-After",
					c.method, c.path, r.status, r.body, r.header.Get("Retry-After"))
			}
		}
		if db.Dialect == sqldb.Postgres {
			r := rf.do(t, "GET", "/api/v1/departments/"+strconv.FormatInt(rf.gaID, 10), rf.gaKey, "")
			if r.status != 503 || r.body["code"] != "database_unavailable" {
				t.Errorf("read of a department with the database down: got %d %v, want 503 database_unavailable", r.status, r.body)
			}
		}

		unblock()
		if r := rf.do(t, "POST", entry+"/ops", rf.gaKey, change); r.status != 201 {
			t.Errorf("push after recovery: got %d %v", r.status, r.body)
		}
		if r := rf.do(t, "GET", read, rf.gaKey, ""); r.status != 200 {
			t.Errorf("read after recovery: got %d %v", r.status, r.body)
		}
	})
}
