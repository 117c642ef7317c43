package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) { sqldbtest.CheckKeys(t, db, catalog.Keys...) })
}

// TestIDBehindRows: with the entries' id sequence behind the rows (as
// after a PostgreSQL restore without the sequences' values), creating an
// entry is an internal error naming the primary key, not code_exists.
// SQLite gives a new row the highest id plus one, which never collides.
func TestIDBehindRows(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		first := create(t, w, w.gaj, household())
		if db.Dialect == sqldb.Postgres {
			if _, err := db.Write().ExecContext(context.Background(),
				`SELECT setval(pg_get_serial_sequence('catalog_entries', 'id'), $1, false)`, first.ID); err != nil {
				t.Fatal(err)
			}
		}
		r := household()
		r.Name = "户籍人口变动信息"
		_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Create(ctx, tx, w.gaj, w.gajID, r, t0)
		})
		switch {
		case db.Dialect == sqldb.SQLite && err != nil:
			t.Errorf("create: %v, want it created past the highest id", err)
		case db.Dialect == sqldb.Postgres && (errs.As(err) != nil || err == nil || !strings.Contains(err.Error(), "catalog_entries_pkey")):
			t.Errorf("create with the id taken: %v, want an internal error naming catalog_entries_pkey", err)
		}
	})
}
