package sqldbtest

import (
	"context"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// FailAuditCommit makes every transaction that writes the audit log fail
// when it commits, after its rows were inserted without error, until the
// returned function undoes it. BlockAudit fails the INSERT; this fails the
// COMMIT, as a disk that fills or a server that goes read-only while the
// transaction ends would.
//
// On PostgreSQL a DEFERRABLE INITIALLY DEFERRED constraint trigger on
// audit_log raises disk_full (SQLSTATE 53100) at commit. On SQLite every
// audit row inserts, through a trigger, a row whose deferred foreign key
// refers to nothing, which SQLite checks at COMMIT
// (SQLITE_CONSTRAINT_FOREIGNKEY); SQLite has no other way to fail a
// commit on demand.
func FailAuditCommit(t *testing.T, db *sqldb.DB) (restore func()) {
	t.Helper()
	block := `CREATE TABLE audit_fault_parent (id INTEGER PRIMARY KEY);
		CREATE TABLE audit_fault (parent INTEGER REFERENCES audit_fault_parent (id) DEFERRABLE INITIALLY DEFERRED);
		CREATE TRIGGER audit_fault AFTER INSERT ON audit_log BEGIN INSERT INTO audit_fault VALUES (1); END`
	undo := `DROP TRIGGER audit_fault; DROP TABLE audit_fault; DROP TABLE audit_fault_parent`
	if db.Dialect == sqldb.Postgres {
		block = `CREATE FUNCTION audit_fault() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$;
			CREATE CONSTRAINT TRIGGER audit_fault AFTER INSERT ON audit_log DEFERRABLE INITIALLY DEFERRED
			FOR EACH ROW EXECUTE FUNCTION audit_fault()`
		undo = `DROP TRIGGER audit_fault ON audit_log; DROP FUNCTION audit_fault()`
	}
	Exec(t, db, block)
	return func() {
		t.Helper()
		Exec(t, db, undo)
	}
}

// FillDisk makes a SQLite database full for every transaction that writes
// the audit log, with the error a full disk gives (SQLITE_FULL, "database
// or disk is full"), until the returned function undoes it. The writer's
// max_page_count — a setting of its connection, which the writer pool's
// one connection keeps — is set to the file's page count, and every audit
// row inserts, through a trigger, a blob larger than the free pages, so
// that it must grow the file. It fails t on PostgreSQL, which has no
// such limit.
func FillDisk(t *testing.T, db *sqldb.DB) (restore func()) {
	t.Helper()
	if db.Dialect != sqldb.SQLite {
		t.Fatal("sqldbtest.FillDisk: SQLite only")
	}
	Exec(t, db, `CREATE TABLE audit_fill (b BLOB)`)
	pageSize, free, pages := writerPragma(t, db, "page_size"), writerPragma(t, db, "freelist_count"), writerPragma(t, db, "page_count")
	Exec(t, db, `CREATE TRIGGER audit_fill AFTER INSERT ON audit_log BEGIN INSERT INTO audit_fill VALUES (zeroblob(`+
		strconv.FormatInt(pageSize*(free+4), 10)+`)); END`)
	limit := writerPragma(t, db, "max_page_count")
	pages = max(pages, writerPragma(t, db, "page_count"))
	if got := writerPragma(t, db, "max_page_count = "+strconv.FormatInt(pages, 10)); got != pages {
		t.Fatalf("sqldbtest.FillDisk: max_page_count is %d, want %d", got, pages)
	}
	return func() {
		t.Helper()
		writerPragma(t, db, "max_page_count = "+strconv.FormatInt(limit, 10))
		Exec(t, db, `DROP TRIGGER audit_fill; DROP TABLE audit_fill`)
	}
}

// writerPragma runs PRAGMA p on the writer and returns the number it answers.
func writerPragma(t *testing.T, db *sqldb.DB, p string) int64 {
	t.Helper()
	var n int64
	if err := db.Write().QueryRowContext(context.Background(), `PRAGMA `+p).Scan(&n); err != nil {
		t.Fatalf("PRAGMA %s: %v", p, err)
	}
	return n
}
