package catalogio_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCreateMappingRace: two new mappings of one name saved at once
// (SaveMappingIf with an empty list: create) — the second, waiting for the
// first's row, replaced it (ON CONFLICT DO UPDATE). It is now refused 409
// mapping_exists, the first kept; an edit from the first's tag replaces
// it; SaveMapping (no condition, the API and CLI) still replaces. On both
// engines.
func TestCreateMappingRace(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		a := catalogio.Mapping{Name: "开放目录", Columns: map[string]string{"目录名称": "name"}}
		b := catalogio.Mapping{Name: "开放目录", Columns: map[string]string{"数源单位": "provider"}}
		save := func(ctx context.Context, tx *sqldb.Tx, m catalogio.Mapping, tags []string) error {
			_, err := catalogio.SaveMappingIf(ctx, tx, w.gaj, m, tags, t0)
			return err
		}
		e1, e2 := sqldbtest.Race(t, db,
			func(ctx context.Context, tx *sqldb.Tx) error { return save(ctx, tx, a, []string{}) },
			func(ctx context.Context, tx *sqldb.Tx) error { return save(ctx, tx, b, []string{}) })
		if e1 != nil {
			t.Fatal(e1)
		}
		if e := errs.As(e2); e == nil || e.Kind != errs.Conflict || e.Code != "mapping_exists" || e.Field != "name" {
			t.Fatalf("the second new mapping of the name: %v, want 409 mapping_exists", e2)
		}
		stored := func() catalogio.Mapping {
			t.Helper()
			m, err := catalogio.MappingByName(t0Context(), db.Read(), w.gajID, "开放目录")
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		got := stored()
		if got.Columns["目录名称"] != "name" {
			t.Fatalf("stored %+v, want the first", got)
		}
		if err := db.Tx(t0Context(), func(tx *sqldb.Tx) error { return save(t0Context(), tx, b, []string{"stale"}) }); errs.As(err) == nil || errs.As(err).Code != "concurrent_update" {
			t.Errorf("an edit from another version: %v, want concurrent_update", err)
		}
		if err := db.Tx(t0Context(), func(tx *sqldb.Tx) error { return save(t0Context(), tx, b, []string{got.Tag()}) }); err != nil {
			t.Fatalf("an edit from the version stored: %v", err)
		}
		if err := db.Tx(t0Context(), func(tx *sqldb.Tx) error {
			_, err := catalogio.SaveMapping(t0Context(), tx, w.gaj, a, t0)
			return err
		}); err != nil || stored().Columns["目录名称"] != "name" {
			t.Errorf("SaveMapping without a condition: %v, %+v; want it replaced", err, stored())
		}
	})
}
