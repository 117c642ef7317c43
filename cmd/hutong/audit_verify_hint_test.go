package main

import (
	"errors"
	"net/url"
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
// (hutong backup) and lists on the copy, with -db; followed on SQLite,
// the evidence keeps its rows. The backup names the database as the
// operator did, in a form that can be followed: with HUTONG_DB, none;
// with -db, the same -db, but for a connection string with a password,
// which is not printed (until 2026-12-05 it was, masked as xxxxx, and
// could not be followed) and HUTONG_DB is said to be set instead. On both
// engines.
func TestAuditVerifyHintListsOnCopy(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := schemaSetup(t, dsn)
		if _, err := db.Write().ExecContext(t.Context(), `UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		noEnv := map[string]string{"USER": "tester"}
		type hintCase struct {
			what       string
			vars       map[string]string
			args       []string
			wantBackup string // the backup line's start
			wantNote   string
		}
		cases := []hintCase{
			{"HUTONG_DB", vars, nil, "hutong backup -o ", "（数据库取自环境变量 HUTONG_DB）"},
			{"-db", noEnv, []string{"-db", dsn}, "hutong backup -db " + shellQuote(dsn) + " -o ", ""},
		}
		if db.Dialect == sqldb.Postgres {
			// The test server trusts local connections: the password is
			// ignored, and must not be printed, masked or not.
			u, err := url.Parse(dsn)
			if err != nil {
				t.Fatal(err)
			}
			u.User = url.UserPassword(u.User.Username(), "s3cret-pw")
			cases = append(cases, hintCase{"-db with a password", noEnv, []string{"-db", u.String()}, "hutong backup -o ", "先在同一 shell 中设置 HUTONG_DB"})
		}
		for _, c := range cases {
			if c.args != nil && sqldb.HasPassword(c.args[1]) {
				c.wantBackup, c.wantNote = "hutong backup -o ", "先在同一 shell 中设置 HUTONG_DB"
			}
			out, err := hutong(t, c.vars, append([]string{"audit", "verify"}, c.args...)...)
			if !errors.Is(err, errReported) {
				t.Fatalf("%s: audit verify of a tampered log: got %v, want it reported\n%s", c.what, err, out)
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
			if !strings.HasPrefix(backupLine, c.wantBackup) || !strings.Contains(out, c.wantNote) {
				t.Errorf("%s: hint: want a backup %q… first, after %q, got %q\n%s", c.what, c.wantBackup, c.wantNote, backupLine, out)
			}
			if strings.Contains(out, "s3cret-pw") || strings.Contains(backupLine, "xxxxx") {
				t.Errorf("%s: hint names the database with its password, or masked, which cannot be followed:\n%s", c.what, out)
			}
			if !strings.HasPrefix(listLine, "hutong audit list -db ") || !strings.HasSuffix(listLine, " -before 3") ||
				strings.Contains(listLine, db.Source) || strings.Index(out, backupLine) > strings.Index(out, listLine) {
				t.Errorf("%s: hint: want the list on the copy, with -db, after the backup, got %q\n%s", c.what, listLine, out)
			}
			if t.Failed() || db.Dialect != sqldb.SQLite {
				continue
			}
			// Followed, in a folder of its own and the same environment:
			// the copy and its list.
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
			if o, err := hutong(t, c.vars, backupArgs...); err != nil {
				t.Fatalf("%s: %v: %v\n%s", c.what, backupArgs, err, o)
			}
			if o, err := hutong(t, c.vars, listArgs...); err != nil || !strings.Contains(o, "someone else") {
				t.Fatalf("%s: %v: %v\n%s", c.what, listArgs, err, o)
			}
			if after := count(); after != before {
				t.Errorf("%s: following the hint changed the evidence: %d audit rows, then %d", c.what, before, after)
			}
		}
	})
}
