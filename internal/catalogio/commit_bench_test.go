package catalogio_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/catalogio/catalogiotest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// BenchmarkImportCSVCommitted imports, committed (not a dry run: search
// tokens, item keys, versions and audit rows are all written), a generated
// CSV into a fresh database of each engine, reporting rows per second
// besides the time and allocations: 20,000 entries on SQLite, 5,000 on
// PostgreSQL, where each entry updated the same rows again in the one
// transaction (the audit head, the code sequence, the facet counts), whose
// versions each later update walked past: an import of 20,000 entries,
// stopped after ten minutes, was at 18,400 and storing under 40 rows/s.
// Those rows are now written once, before the commit (sqldb.Deferred,
// catalog.DeferFacetCounts): 20,000 entries took 42 s.
func BenchmarkImportCSVCommitted(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *sqldb.DB
		n    int
	}{{"sqlite", sqldbtest.SQLite, 20000}, {"postgres", sqldbtest.Postgres, 5000}} {
		n := engine.n
		data := catalogiotest.GeneratedCSV(n)
		b.Run(fmt.Sprintf("%s/%d", engine.name, n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				w := newWorld(b, engine.open(b))
				b.StartTimer()
				start := time.Now()
				rep, err := importFile(w, w.gaj, data, catalogio.CSV, catalogio.Options{})
				if err != nil || rep.Created != n || !rep.Imported {
					b.Fatalf("got created=%d imported=%v err=%v", rep.Created, rep.Imported, err)
				}
				b.ReportMetric(float64(n)/time.Since(start).Seconds(), "rows/s")
			}
		})
	}
}
