package sqldb_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMigration0034SecurityLevelWording: 0034 writes 泄露 for 泄漏 in
// security level 4's description where it is still the text 0002 seeded,
// as levels 1–3 say; a description an operator wrote stays as written,
// 泄漏 and all, and the other levels are not touched. On both engines.
func TestMigration0034SecurityLevelWording(t *testing.T) {
	const (
		seeded    = "数据泄漏后会对个人人身安全、法人正常运作或国家机关正常运作导致非常严重损害。"
		corrected = "数据泄露后会对个人人身安全、法人正常运作或国家机关正常运作导致非常严重损害。"
		own       = "数据泄漏后会对国家安全造成特别严重损害（本市定义）。"
		level3    = "数据泄露后会对个人合法权益、法人正常运作或国家机关正常运作造成一般损害。"
	)
	levels := func(t *testing.T, db *sqldb.DB) [][]string {
		t.Helper()
		return sqldbtest.QueryRows(t, db.Read(), `SELECT CAST(level AS TEXT), description FROM catalog_security_levels
			WHERE level IN (3, 4) ORDER BY level`)
	}
	for _, tt := range []struct {
		name        string
		description string // level 4's before 0034; "" keeps the seeded one
		want        string
	}{
		{"seeded", "", corrected},
		{"operator's own", own, own},
	} {
		t.Run(tt.name, func(t *testing.T) {
			atMigration(t, "0033_catalog_entries_discarded_version.sql", func(t *testing.T, db *sqldb.DB) {
				if diff := cmp.Diff([][]string{{"3", level3}, {"4", seeded}}, levels(t, db)); diff != "" {
					t.Fatalf("levels 3 and 4 before 0034 (-want +got):\n%s", diff)
				}
				if tt.description != "" {
					if _, err := db.Write().ExecContext(t.Context(), `UPDATE catalog_security_levels SET description = $1
						WHERE level = 4`, tt.description); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := db.Migrate(t.Context()); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff([][]string{{"3", level3}, {"4", tt.want}}, levels(t, db)); diff != "" {
					t.Errorf("levels 3 and 4 after 0034 (-want +got):\n%s", diff)
				}
			})
		})
	}
}
