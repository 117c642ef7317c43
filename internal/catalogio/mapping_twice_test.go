package catalogio_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSameNewMappingTwiceAtOnce: the same new mapping sent twice at once
// (a double click). On PostgreSQL the second, whose insert waited for the
// first's row and then did nothing, was refused 409 mapping_exists though
// the first had stored exactly what it asked. It is now answered with the
// stored mapping, as the same form sent again later is, one mapping and
// one audit event written. On both engines.
func TestSameNewMappingTwiceAtOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		a := catalogio.Mapping{Name: "开放目录", Columns: map[string]string{"目录名称": "name"}}
		var got [2]catalogio.Mapping
		save := func(i int) func(ctx context.Context, tx *sqldb.Tx) error {
			return func(ctx context.Context, tx *sqldb.Tx) (err error) {
				got[i], err = catalogio.SaveMappingIf(ctx, tx, w.gaj, a, []string{}, t0)
				return err
			}
		}
		e1, e2 := sqldbtest.Race(t, db, save(0), save(1))
		if e1 != nil {
			t.Fatal(e1)
		}
		if e2 != nil {
			t.Fatalf("the identical second save refused: %v", e2)
		}
		if got[1].Tag() != got[0].Tag() || got[1].Columns["目录名称"] != "name" {
			t.Errorf("the second answered %+v, want the mapping stored", got[1])
		}
		var n int
		if err := db.Read().QueryRowContext(t0Context(), `SELECT count(*) FROM catalog_import_mappings WHERE name = '开放目录'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if events := auditCount(t, db, "catalog.import_mapping.save"); n != 1 || events != 1 {
			t.Errorf("%d mappings and %d save events, want 1 and 1", n, events)
		}
	})
}
