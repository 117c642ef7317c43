package sqldb_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMigrateRefusesNewerSchema: a database a newer release migrated (it
// holds migrations the binary does not embed) is refused by Migrate, which
// applies nothing to it, not even the binary's migrations it lacks, and
// CheckNewer names the database's newest unknown migration and the
// binary's newest; a current database passes.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		if err := db.CheckNewer(ctx); err != nil {
			t.Fatalf("CheckNewer on a current database: %v", err)
		}
		names, err := sqldb.Migrations(db.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		last := names[len(names)-1]
		if _, err := db.Write().ExecContext(ctx, `DELETE FROM schema_migrations WHERE name = $1`, last); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at)
			VALUES ('9998_later.sql', $1), ('9999_latest.sql', $1)`, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		want := &sqldb.NewerSchemaError{Database: "9999_latest.sql", Binary: last, Unknown: []string{"9998_later.sql", "9999_latest.sql"}}
		var newer *sqldb.NewerSchemaError
		if err := db.CheckNewer(ctx); !errors.As(err, &newer) {
			t.Fatalf("CheckNewer on a newer database: %v, want a NewerSchemaError", err)
		} else if diff := cmp.Diff(want, newer); diff != "" {
			t.Errorf("CheckNewer (-want +got):\n%s", diff)
		}
		applied, err := db.Migrate(ctx)
		if !errors.As(err, &newer) || len(applied) != 0 {
			t.Fatalf("Migrate on a newer database: applied %q, %v; want nothing and a NewerSchemaError", applied, err)
		}
		if pending, err := db.Pending(ctx); err != nil || len(pending) != 1 || pending[0] != last {
			t.Errorf("pending after the refusal: %q, %v; want %s still", pending, err, last)
		}
	})
}
