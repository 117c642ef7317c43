package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditVerifyHintListsOnCopy: the hint of a broken chain said
// "hutong audit list -before N" without -db and without a copy, and
// following it appended an audit.read row to the evidence, which
// docs/backup.md says never to read. The hint copies the database first
// (hutong backup -db SOURCE) and lists on the copy, with -db; followed on
// SQLite, the evidence keeps its rows. On both engines.
func TestAuditVerifyHintListsOnCopy(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := schemaSetup(t, dsn)
		if _, err := db.Write().ExecContext(t.Context(), `UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		out, err := hutong(t, vars, "audit", "verify")
		if !errors.Is(err, errReported) {
			t.Fatalf("audit verify of a tampered log: got %v, want it reported\n%s", err, out)
		}
		var backupLine, listLine string
		for _, l := range strings.Split(out, "\n") {
			l = strings.TrimSpace(l)
			switch {
			case strings.HasPrefix(l, "hutong backup "):
				backupLine = l
			case strings.Contains(l, "hutong audit list"):
				listLine = l
			}
		}
		if !strings.HasPrefix(backupLine, "hutong backup -db "+shellQuote(db.Source)+" -o ") {
			t.Errorf("hint: want a backup of %s first, got %q\n%s", db.Source, backupLine, out)
		}
		if !strings.HasPrefix(listLine, "hutong audit list -db ") || !strings.HasSuffix(listLine, " -before 3") ||
			strings.Contains(listLine, db.Source) || strings.Index(out, backupLine) > strings.Index(out, listLine) {
			t.Errorf("hint: want the list on the copy, with -db, after the backup, got %q\n%s", listLine, out)
		}
		if t.Failed() || db.Dialect != sqldb.SQLite {
			return
		}
		// Followed, in a folder of its own: the copy and its list.
		copyPath := filepath.Join(t.TempDir(), "audit-copy.db")
		backupArgs := strings.Fields(strings.Replace(backupLine, "audit-copy.db", copyPath, 1))[1:]
		listArgs := strings.Fields(strings.Replace(listLine, "audit-copy.db", copyPath, 1))[1:]
		count := func() int {
			var n int
			if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM audit_log`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		if o, err := hutong(t, nil, backupArgs...); err != nil {
			t.Fatalf("%v: %v\n%s", backupArgs, err, o)
		}
		if o, err := hutong(t, nil, listArgs...); err != nil || !strings.Contains(o, "someone else") {
			t.Fatalf("%v: %v\n%s", listArgs, err, o)
		}
		if after := count(); after != before {
			t.Errorf("following the hint changed the evidence: %d audit rows, then %d", before, after)
		}
	})
}
