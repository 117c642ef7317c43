package catalog

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNameChecksPlan: on SQLite the name checks of Create (nameUnused), of
// Submit and Approve (nameFree) and of a transfer (transferNameHeld) read
// the entries of the name through catalog_entries_name_key, as a database
// without statistics has it (an import's, whose entries are created and
// submitted in one transaction). They searched the department's index,
// reading every entry of the department in the statuses checked for each
// entry created, submitted or transferred:
// an import of 3,000 entries on SQLite took 44 s with -submit, 18 s without
// (BenchmarkImportSubmit in catalogio), and 22 s and 11 s reading the
// name's entries.
func TestNameChecksPlan(t *testing.T) {
	db := sqldbtest.SQLite(t)
	for name, q := range map[string]struct {
		query string
		args  []any
	}{
		"nameUnused":         {nameUnusedQuery, []any{"户籍人口基本信息", 1}},
		"nameFree (Submit)":  {nameFreeQuery, []any{"户籍人口基本信息", 1, 2, string(Submitted)}},
		"nameFree (Approve)": {nameFreeQuery, []any{"户籍人口基本信息", 1, 2, string(Published)}},
		"transferNameHeld":   {transferNameHeldQuery, []any{"户籍人口基本信息", 1}},
	} {
		steps := sqldbtest.Plan(t, db.Dialect, db.Read(), q.query, q.args...)
		if len(steps) == 0 || !strings.Contains(steps[0], "USING INDEX catalog_entries_name_key (name_key=?)") {
			t.Errorf("%s: plan %q, want catalog_entries_name_key", name, steps)
		}
	}
}

// TestPublishedNamedPlan: on SQLite a form's lookup of a published entry
// by its name in a department (PublishedNamed) reads the entries of the
// name through catalog_entries_name_key, not every published entry of the
// department through catalog_entries_department.
func TestPublishedNamedPlan(t *testing.T) {
	db := sqldbtest.SQLite(t)
	for name, q := range map[string]struct {
		query string
		args  []any
	}{
		"any department": {publishedNamedQuery, []any{"户籍人口基本信息", 20}},
		"one department": {publishedNamedInDepartmentQuery, []any{"户籍人口基本信息", 20, 1}},
	} {
		steps := sqldbtest.Plan(t, db.Dialect, db.Read(), q.query, q.args...)
		if len(steps) == 0 || !strings.Contains(steps[0], "USING INDEX catalog_entries_name_key (name_key=?)") {
			t.Errorf("%s: plan %q, want catalog_entries_name_key", name, steps)
		}
	}
}
