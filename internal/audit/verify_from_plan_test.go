package audit_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestVerifyFromPlan: a verify from an anchor near the head reads the
// rows of audit_subjects after it through audit_subjects_seq (migration
// 0046), in both of its queries, on both engines with the planners'
// statistics of a log of 40,000 rows (a row in 7 has other subjects):
// no step reads the whole table (SQLite's SCAN audit_subjects,
// PostgreSQL's Seq Scan on audit_subjects), which each verify from an
// anchor did before, its primary key by subject then seq not serving a
// range of seq.
func TestVerifyFromPlan(t *testing.T) {
	const n = 40000
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		fillLog(t, db, n)
		for _, query := range []string{audit.VerifyRowsSQL(db.Read(), true), audit.StraySubjectsSQL} {
			plan := explain(t, db, query, n-1000)
			if strings.Contains(plan, "SCAN audit_subjects") || strings.Contains(plan, "Seq Scan on audit_subjects") || !strings.Contains(plan, "audit_subjects_seq") {
				t.Errorf("plan does not read audit_subjects by seq:\n%s", plan)
			}
		}
	})
}
