package sqldb_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestMigrateRenamedMigrations: a database a development build migrated
// under a migration name since retired (0025_record_entry_stats_last_refused,
// renamed 0026_…; 0011_catalog_submitted_versions, replaced by
// 0011_catalog_sources) is upgraded: the old name is recorded as its
// current one, without running it again over its effect, and the
// migrations it lacks are applied, where Migrate refused it as a newer
// release's schema. The database then passes CheckObjects and records no
// retired name. On both engines.
func TestMigrateRenamedMigrations(t *testing.T) {
	for _, c := range []struct {
		through, old, effect string // the last migration before old, old's name, what it did
	}{
		{"0010_record_batches_digest.sql", "0011_catalog_submitted_versions.sql",
			`CREATE INDEX catalog_entry_versions_submitted ON catalog_entry_versions (entry_id) WHERE state = 'submitted'`},
		{"0024_record_batches_late_rule.sql", "0025_record_entry_stats_last_refused.sql",
			`ALTER TABLE record_entry_stats ADD COLUMN last_refused TEXT NOT NULL DEFAULT ''`},
	} {
		t.Run(c.old, func(t *testing.T) {
			unmigrated(t, func(t *testing.T, db *sqldb.DB, names []string) {
				ctx := t.Context()
				if !slices.Contains(names, c.through) {
					t.Fatalf("no migration %s", c.through)
				}
				if _, err := db.MigrateThrough(ctx, c.through); err != nil {
					t.Fatal(err)
				}
				if _, err := db.Write().ExecContext(ctx, c.effect); err != nil {
					t.Fatal(err)
				}
				if _, err := db.Write().ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`,
					c.old, time.Now().UTC()); err != nil {
					t.Fatal(err)
				}
				if _, err := db.Migrate(ctx); err != nil {
					t.Fatalf("Migrate of a database migrated through %s: %v", c.old, err)
				}
				if pending, err := db.Pending(ctx); err != nil || len(pending) != 0 {
					t.Errorf("pending after Migrate: %q, %v; want none", pending, err)
				}
				if err := db.CheckObjects(ctx); err != nil {
					t.Errorf("CheckObjects after Migrate: %v", err)
				}
				var n int
				if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, c.old).Scan(&n); err != nil || n != 0 {
					t.Errorf("rows of %s in schema_migrations: %d, %v; want none", c.old, n, err)
				}
			})
		})
	}
}

// TestUnknownMigrationFromDevelopmentBuild: a database holding a migration
// the binary does not embed whose name sorts before the binary's newest is
// refused as one a development build migrated (Development), not as a
// newer release's schema; one sorting after it as a newer release's. On
// both engines.
func TestUnknownMigrationFromDevelopmentBuild(t *testing.T) {
	unmigrated(t, func(t *testing.T, db *sqldb.DB, names []string) {
		ctx := t.Context()
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			dev  bool
		}{{"0030_dev_only.sql", true}, {"9999_later.sql", false}} {
			if _, err := db.Write().ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`,
				c.name, time.Now().UTC()); err != nil {
				t.Fatal(err)
			}
			var newer *sqldb.NewerSchemaError
			if _, err := db.Migrate(ctx); !errors.As(err, &newer) || newer.Development() != c.dev {
				t.Errorf("Migrate with %s applied: %v; want a NewerSchemaError, Development %v", c.name, err, c.dev)
			}
			if _, err := db.Write().ExecContext(ctx, `DELETE FROM schema_migrations WHERE name = $1`, c.name); err != nil {
				t.Fatal(err)
			}
		}
	})
}
