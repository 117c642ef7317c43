package main

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPostgresDiskFullSaid: a PostgreSQL server whose disk is full (SQLSTATE
// 53100) when a command writes the audit log is said as a full disk, in
// Chinese, with what to do, as SQLite's is (磁盘已满), and without the
// English of the packages it went through ("sqldb: write deferred rows:
// 审计日志暂时无法写入…：audit: insert: ERROR: could not extend file … (SQLSTATE
// 53100)"): the INSERT failing, as a real full disk does, and the COMMIT
// (sqldbtest.FailAuditCommit). PostgreSQL only: SQLite's full disk is
// TestStorageCauseKeepsContext's.
func TestPostgresDiskFullSaid(t *testing.T) {
	dsn := sqldbtest.PostgresDSN(t)
	vars, _ := mustNanhaiBureau(t, dsn)
	db, err := sqldb.Open(context.Background(), dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	check := func(what string, args ...string) string {
		t.Helper()
		_, err := hutong(t, vars, args...)
		if err == nil {
			t.Fatalf("%s with the disk full: no error", what)
		}
		said := message(err)
		if !strings.Contains(said, "数据库服务器磁盘已满（") ||
			!strings.Contains(said, "请腾出 PostgreSQL 数据目录所在磁盘的空间后重试") || strings.Contains(said, "sqldb:") ||
			strings.Contains(said, "audit: insert:") {
			t.Errorf("%s with the disk full says %q; want a full disk said in Chinese", what, said)
		}
		return said
	}

	sqldbtest.Exec(t, db, `CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'could not extend file "base/5/16509_fsm": No space left on device' USING ERRCODE = 'disk_full'; END $$;
		CREATE TRIGGER disk_full BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION disk_full()`)
	if said := check("insert", "user", "create", "-username", "nh.op", "-name", "主管", "-department", "1", "-role", "operator"); !strings.HasPrefix(said, "审计日志暂时无法写入") {
		t.Errorf("insert with the disk full says %q; want the audit log's refusal first", said)
	}
	sqldbtest.Exec(t, db, `DROP TRIGGER disk_full ON audit_log; DROP FUNCTION disk_full()`)

	restore := sqldbtest.FailAuditCommit(t, db)
	check("commit", "user", "create", "-username", "nh.op", "-name", "主管", "-department", "1", "-role", "operator")
	restore()
}
