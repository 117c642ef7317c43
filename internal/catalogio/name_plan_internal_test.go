package catalogio

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNamedEntriesPlan: on SQLite the entries of the department a row of
// the file names (namedEntries) are read through catalog_entries_name_key,
// as a database without statistics has it, not by searching the
// department's index, which read every entry of the department for each
// row matched by its name.
func TestNamedEntriesPlan(t *testing.T) {
	db := sqldbtest.SQLite(t)
	steps := sqldbtest.Plan(t, db.Dialect, db.Read(), namedEntriesQuery, 1, "户籍人口基本信息")
	if len(steps) == 0 || !strings.Contains(steps[0], "USING INDEX catalog_entries_name_key (name_key=?)") {
		t.Errorf("plan %q, want catalog_entries_name_key", steps)
	}
}
