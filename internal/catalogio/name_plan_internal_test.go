package catalogio

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNamedEntriesPlan: on SQLite the entries of the department a row of
// the file names (namedEntries, and unattachedItems for an item row naming
// its entry) are read through catalog_entries_name_key, as a database
// without statistics has it, not by searching the department's index,
// which read every entry of the department for each row matched by its
// name.
func TestNamedEntriesPlan(t *testing.T) {
	db := sqldbtest.SQLite(t)
	for name, query := range map[string]string{
		"namedEntries":    namedEntriesQuery,
		"unattachedItems": unattachedNamedQuery,
	} {
		steps := sqldbtest.Plan(t, db.Dialect, db.Read(), query, 1, "户籍人口基本信息")
		if len(steps) == 0 || !strings.Contains(steps[0], "USING INDEX catalog_entries_name_key (name_key=?)") {
			t.Errorf("%s: plan %q, want catalog_entries_name_key", name, steps)
		}
	}
}
