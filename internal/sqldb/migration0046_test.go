package sqldb_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestMigration0046Prebuilt: 0046 builds an index over the whole of
// audit_subjects, which grows with the log forever, and holds appends to it
// while it runs. An operator of a large log builds it beforehand (on
// PostgreSQL CONCURRENTLY, docs/postgresql.md); 0046 then finds it and only
// records itself, on both engines.
func TestMigration0046Prebuilt(t *testing.T) {
	atMigration(t, "0045_department_name_keys.sql", func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		if _, err := db.Write().ExecContext(ctx, `CREATE INDEX audit_subjects_seq ON audit_subjects (seq)`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate with audit_subjects_seq built beforehand: %v", err)
		}
		if err := db.CheckObjects(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
