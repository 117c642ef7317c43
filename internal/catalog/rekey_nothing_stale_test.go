package catalog_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRekeyNothingStale: a pass of RekeyNames or RekeyItems over entries
// whose name keys, search tokens and item keys are all fresh, a chunk of
// one entry at a time, takes no write transaction: it completes, changing
// nothing, while another transaction holds SQLite's one writer (on
// PostgreSQL, locks on the entries and the sources that a rewrite would
// wait for), without waiting. Before, every chunk was read in a write
// transaction, which on SQLite held the writer at every hourly pass
// (here: waited for it).
func TestRekeyNothingStale(t *testing.T) {
	for _, pass := range []struct {
		name string
		run  func(context.Context, *sqldb.DB, *slog.Logger) (int, error)
	}{
		{"RekeyNames", catalog.RekeyNames},
		{"RekeyItems", catalog.RekeyItems},
	} {
		t.Run(pass.name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				ctx := context.Background()
				w := newWorld(t, db)
				for _, name := range []string{"户籍人口基本信息甲", "户籍人口基本信息乙"} {
					r := household()
					r.Name = name
					publish(t, w, w.gaj, r)
				}
				catalog.SetRekeyChunk(t, 1)

				var r struct {
					n   int
					err error
				}
				waited, err := sqldbtest.WaitsForWriter(t, db, "catalog_source_lock, catalog_entries, catalog_item_keys, catalog_search_tokens",
					func() (err error) {
						r.n, err = pass.run(ctx, db, nil)
						return err
					})
				if waited {
					t.Errorf("%s with nothing stale waited for a write transaction", pass.name)
				}
				r.err = err
				if r.err != nil || r.n != 0 {
					t.Errorf("%s with nothing stale: %d changed, %v; want 0", pass.name, r.n, r.err)
				}
			})
		})
	}
}
