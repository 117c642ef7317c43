package sqldb_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestMigration0049Prebuilt: 0049 builds an index over the whole audit log
// (audit_log_actor_kind) and holds every audited action while it runs. An
// operator of a large log builds it beforehand (on PostgreSQL
// CONCURRENTLY, docs/postgresql.md); 0049 then finds it and builds only
// its indexes of discrepancies, on both engines.
func TestMigration0049Prebuilt(t *testing.T) {
	atMigration(t, "0048_catalog_entries_name_reviewed.sql", func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		if _, err := db.Write().ExecContext(ctx, `CREATE INDEX audit_log_actor_kind ON audit_log (actor_kind, seq)`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate with audit_log_actor_kind built beforehand: %v", err)
		}
		if err := db.CheckObjects(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
