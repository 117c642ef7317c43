package sqldb_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMigrateRefusesNonUTF8: a PostgreSQL database whose server encoding
// is SQL_ASCII, where substr and length count the bytes of Chinese text,
// is refused by Migrate before it writes anything, and by Schema (migrate
// -status, the other commands' check, /readyz), naming the encoding and
// the createdb command of a UTF-8 database; it was migrated and served.
// A UTF-8 database and a SQLite file are accepted.
func TestMigrateRefusesNonUTF8(t *testing.T) {
	dsn := sqldbtest.PostgresEncoded(t, "SQL_ASCII")
	db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	applied, err := db.Migrate(t.Context())
	var enc *sqldb.EncodingError
	if !errors.As(err, &enc) || enc.Encoding != "SQL_ASCII" {
		t.Fatalf("Migrate on SQL_ASCII: applied %v, got %v, want an *EncodingError of SQL_ASCII", applied, err)
	}
	for _, want := range []string{"服务器编码为 SQL_ASCII", "createdb -E UTF8 --locale=C.UTF-8 -T template0 " + enc.Name} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Migrate's error %q, want it to say %q", err, want)
		}
	}
	var tables int
	if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("Migrate refused the database but created %d tables in it", tables)
	}
	if _, _, err := db.Schema(t.Context()); !errors.As(err, &enc) {
		t.Errorf("Schema on SQL_ASCII: got %v, want an *EncodingError", err)
	}

	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		if _, err := db.Migrate(t.Context()); err != nil {
			t.Errorf("Migrate on a UTF-8 database: %v", err)
		}
		if _, _, err := db.Schema(t.Context()); err != nil {
			t.Errorf("Schema on a UTF-8 database: %v", err)
		}
	})
}
