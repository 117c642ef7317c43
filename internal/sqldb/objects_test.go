package sqldb_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// objectsHeader opens objects/<dialect>.txt, which TestExpectedObjects
// writes with HUTONG_WRITE_OBJECTS=1.
const objectsHeader = `# The schema objects each migration of this dialect creates (+) and drops
# (-), as sqldb.Objects lists them: CheckObjects requires of a database the
# fold of those it records as applied. Generated; after adding a migration run
#   HUTONG_REQUIRE_PG=1 HUTONG_WRITE_OBJECTS=1 go test ./internal/sqldb/ -run TestExpectedObjects
`

// migrated opens a new database of each engine, migrated by Migrate
// itself (not copied from a template).
func migrated(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	open := func(t *testing.T, dsn string) {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		fn(t, db)
	}
	t.Run("sqlite", func(t *testing.T) { open(t, filepath.Join(t.TempDir(), "new.db")) })
	t.Run("postgres", func(t *testing.T) { open(t, sqldbtest.PostgresEncoded(t, "UTF8")) })
}

// unmigrated opens a new database of each engine, no migration applied,
// and gives fn the names of its dialect's migrations.
func unmigrated(t *testing.T, fn func(t *testing.T, db *sqldb.DB, names []string)) {
	open := func(t *testing.T, dsn string) {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		names, err := sqldb.Migrations(db.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		fn(t, db, names)
	}
	t.Run("sqlite", func(t *testing.T) { open(t, filepath.Join(t.TempDir(), "new.db")) })
	t.Run("postgres", func(t *testing.T) { open(t, sqldbtest.PostgresEncoded(t, "UTF8")) })
}

// TestExpectedObjects keeps the objects the binary expects of each
// version of the schema (objects/*.txt, ObjectSteps) equal to what the
// catalog of a new database lists after each migration, applied one at a
// time, on each engine; the database passes CheckObjects at each version.
// With HUTONG_WRITE_OBJECTS=1 it writes the files instead, and does not
// compare: the binary's copy (go:embed) is the file as it was when the
// test was built.
func TestExpectedObjects(t *testing.T) {
	unmigrated(t, func(t *testing.T, db *sqldb.DB, names []string) {
		ctx := t.Context()
		var body strings.Builder
		body.WriteString(objectsHeader)
		var before []string
		for _, name := range names {
			if _, err := db.MigrateThrough(ctx, name); err != nil {
				t.Fatal(err)
			}
			have, err := db.Objects(ctx)
			if err != nil {
				t.Fatal(err)
			}
			body.WriteString(name + "\n")
			for _, o := range before {
				if _, found := slices.BinarySearch(have, o); !found {
					body.WriteString("- " + o + "\n")
				}
			}
			for _, o := range have {
				if _, found := slices.BinarySearch(before, o); !found {
					body.WriteString("+ " + o + "\n")
				}
			}
			before = have
			if os.Getenv("HUTONG_WRITE_OBJECTS") != "1" {
				if err := db.CheckObjects(ctx); err != nil {
					t.Fatalf("CheckObjects on a new database migrated through %s: %v", name, err)
				}
			}
		}
		file := filepath.Join("objects", db.Dialect.String()+".txt")
		if os.Getenv("HUTONG_WRITE_OBJECTS") == "1" {
			if err := os.WriteFile(file, []byte(body.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s: %d migrations, %d objects at the last", file, len(names), len(before))
			return
		}
		old, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(string(old), body.String()); d != "" {
			t.Fatalf("%s differs from what the migrations build (-file +database):\n%s\n"+
				"regenerate it: HUTONG_REQUIRE_PG=1 HUTONG_WRITE_OBJECTS=1 go test ./internal/sqldb/ -run TestExpectedObjects",
				file, d)
		}
		want, err := sqldb.ExpectedObjects(db.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, before); d != "" {
			t.Fatalf("ExpectedObjects differs from the schema the migrations build (-binary +database):\n%s", d)
		}
	})
}

// TestCheckObjectsBeforeMigrating: CheckObjects compared only a database
// whose every migration was applied, so a half-restored dump of a former
// release (the rows and migration records written, indexes and keys not)
// passed every check until migrations had been applied to it. It now
// checks a database against the objects of the migrations it records:
// one a release before left whole passes, and lacking an index of that
// version it is refused, naming its last migration.
func TestCheckObjectsBeforeMigrating(t *testing.T) {
	unmigrated(t, func(t *testing.T, db *sqldb.DB, names []string) {
		ctx := t.Context()
		older := names[len(names)-2]
		if _, err := db.MigrateThrough(ctx, older); err != nil {
			t.Fatal(err)
		}
		if err := db.CheckObjects(ctx); err != nil {
			t.Fatalf("CheckObjects on a database migrated through %s: %v", older, err)
		}
		if _, err := db.Write().ExecContext(ctx, `DROP INDEX users_department`); err != nil {
			t.Fatal(err)
		}
		err := db.CheckObjects(ctx)
		var inc *sqldb.IncompleteSchemaError
		if !errors.As(err, &inc) || !slices.Equal(inc.Missing, []string{"index users.users_department"}) ||
			inc.Last != older || inc.Applied != len(names)-1 {
			t.Fatalf("CheckObjects through %s without users_department: got %#v", older, err)
		}
		if !strings.Contains(err.Error(), "至 "+older) {
			t.Errorf("got %v", err)
		}
	})
}

// TestCheckObjectsRefusesIncompleteSchema: a database whose every
// migration is recorded but that lacks an index, a unique constraint, a
// primary key (and the foreign keys on it), a trigger (as pg_restore leaves one it did not finish: the rows written,
// the post-data section not) passed every schema check. CheckObjects
// names what is missing and how many of how many, on each engine; an
// index an operator added besides is no matter.
func TestCheckObjectsRefusesIncompleteSchema(t *testing.T) {
	migrated(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		drops := []string{`DROP INDEX users_department`, `CREATE INDEX extra_by_name ON departments (name)`}
		missing := []string{"index users.users_department", "trigger catalog_entries.catalog_search_sync"}
		if db.Dialect == sqldb.Postgres {
			drops = append(drops, `ALTER TABLE users DROP CONSTRAINT users_username_key`,
				`ALTER TABLE departments DROP CONSTRAINT departments_pkey CASCADE`,
				`DROP TRIGGER catalog_search_sync ON catalog_entries`)
			missing = append(missing, "unique users.users_username_key", "index users.users_username_key",
				"primary-key departments.departments_pkey", "index departments.departments_pkey",
				"foreign-key users.users_department_id_fkey")
		} else {
			drops = append(drops, `DROP TRIGGER catalog_search_sync`)
		}
		for _, q := range drops {
			if _, err := db.Write().ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		err := db.CheckObjects(ctx)
		var inc *sqldb.IncompleteSchemaError
		if !errors.As(err, &inc) {
			t.Fatalf("CheckObjects: got %v, want *IncompleteSchemaError", err)
		}
		for _, m := range missing {
			if !strings.Contains(strings.Join(inc.Missing, "\n"), m) {
				t.Errorf("missing %v, want %s among them", inc.Missing, m)
			}
		}
		want, werr := sqldb.ExpectedObjects(db.Dialect)
		if werr != nil {
			t.Fatal(werr)
		}
		if msg := err.Error(); inc.Expected != len(want) || !strings.Contains(msg, "结构不完整") || !strings.Contains(msg, "docs/backup.md") {
			t.Errorf("got %v (expected %d of %d)", err, inc.Expected, len(want))
		}
	})
}

// TestObjectsExtensionMemberOfAnotherCatalog: the catalog read left out
// every object whose OID some extension member's objid equalled, whatever
// catalog that member lives in (pg_depend.classid), so a table sharing its
// OID with an extension's function or type was not listed, then reported
// missing, and every command refused the database. OIDs of different
// catalogs are independent, so such a clash is a matter of time; here a
// dependency row of plpgsql's, naming a pg_proc member with the OID of
// the users table, stands for it (a throwaway cluster, as superuser).
func TestObjectsExtensionMemberOfAnotherCatalog(t *testing.T) {
	db, err := sqldb.Open(t.Context(), sqldbtest.PostgresEncoded(t, "UTF8"), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Write().ExecContext(t.Context(), `INSERT INTO pg_catalog.pg_depend
		(classid, objid, objsubid, refclassid, refobjid, refobjsubid, deptype)
		SELECT 'pg_catalog.pg_proc'::regclass, 'users'::regclass, 0, 'pg_catalog.pg_extension'::regclass, e.oid, 0, 'e'
		FROM pg_catalog.pg_extension e WHERE e.extname = 'plpgsql'`); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckObjects(t.Context()); err != nil {
		t.Errorf("CheckObjects with an extension's function of the users table's OID: %v", err)
	}
}

// TestCheckObjectsRefusesInvalidIndex: an index PostgreSQL marks invalid
// (a CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY that failed leaves
// one; docs/postgresql.md) is in the catalog but not used by queries nor,
// when unique, enforced, and passed the check. It now counts as missing,
// and the message says it is invalid.
func TestCheckObjectsRefusesInvalidIndex(t *testing.T) {
	db, err := sqldb.Open(t.Context(), sqldbtest.PostgresEncoded(t, "UTF8"), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	// As a failed CREATE INDEX CONCURRENTLY leaves it (a throwaway
	// cluster, as superuser).
	if _, err := db.Write().ExecContext(ctx, `UPDATE pg_catalog.pg_index SET indisvalid = false
		WHERE indexrelid = 'users_department'::regclass`); err != nil {
		t.Fatal(err)
	}
	err = db.CheckObjects(ctx)
	var inc *sqldb.IncompleteSchemaError
	if !errors.As(err, &inc) || !slices.Contains(inc.Missing, "index users.users_department") {
		t.Fatalf("CheckObjects with an invalid index: got %v, want index users.users_department missing", err)
	}
	if !strings.Contains(err.Error(), "index users.users_department（无效）") || !strings.Contains(err.Error(), "DROP INDEX") {
		t.Errorf("got %v", err)
	}
}
