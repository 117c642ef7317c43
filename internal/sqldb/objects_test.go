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
const objectsHeader = `# The schema objects the migrations of this dialect create, as
# sqldb.Objects lists them: what CheckObjects requires of a database whose
# every migration is applied. Generated; after adding a migration run
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

// TestExpectedObjects keeps the objects the binary expects of a current
// schema (objects/*.txt, ExpectedObjects) equal to what the catalog of a
// database the migrations built lists, on each engine, and a database
// missing none passes CheckObjects.
func TestExpectedObjects(t *testing.T) {
	migrated(t, func(t *testing.T, db *sqldb.DB) {
		have, err := db.Objects(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if os.Getenv("HUTONG_WRITE_OBJECTS") == "1" {
			body := objectsHeader + strings.Join(have, "\n") + "\n"
			if err := os.WriteFile(filepath.Join("objects", db.Dialect.String()+".txt"), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			// The binary's copy (go:embed) is the file as it was when the
			// test was built: compared, it would differ on this run.
			t.Logf("wrote objects/%s.txt: %d objects", db.Dialect, len(have))
			return
		}
		want, err := sqldb.ExpectedObjects(db.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, have); d != "" {
			t.Fatalf("objects/%s.txt differs from the schema the migrations build (-file +database):\n%s\n"+
				"regenerate it: HUTONG_REQUIRE_PG=1 HUTONG_WRITE_OBJECTS=1 go test ./internal/sqldb/ -run TestExpectedObjects",
				db.Dialect, d)
		}
		if err := db.CheckObjects(t.Context()); err != nil {
			t.Fatalf("CheckObjects on a migrated database: %v", err)
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
