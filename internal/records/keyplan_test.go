package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestKeyLookupPlan: on SQLite a batch looks its operations' keys up in
// the versions by the index of each record's keys, one probe per key,
// never by reading every version of the entry: a batch resent whole looks
// every chunk's keys up, and reading the entry for each chunk made the
// resend grow with the square of its size.
func TestKeyLookupPlan(t *testing.T) {
	db := sqldbtest.SQLite(t)
	var args []any
	for range 3 {
		args = append(args, "s", "k")
	}
	plan := queryPlan(t, db, records.KeysSQL(3), append(args, int64(1))...)
	probes := false
	for _, step := range plan {
		if strings.Contains(step, "USING INDEX record_versions_subject (entry_id=? AND subject_id=? AND op_key=?)") {
			probes = true
		}
	}
	if !probes {
		t.Errorf("key lookup plan %q, want a probe of record_versions_subject per key", plan)
	}
}

// queryPlan returns the details of SQLite's plan for query with args, step
// by step.
func queryPlan(t *testing.T, db *sqldb.DB, query string, args ...any) []string {
	t.Helper()
	return sqldbtest.Plan(t, sqldb.SQLite, db.Read(), query, args...)
}
