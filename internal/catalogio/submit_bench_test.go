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

// BenchmarkImportSubmit imports a generated CSV of 3,000 entries into a
// fresh database of each engine with and without Options.Submit (hutong
// import catalog -submit), reporting rows per second, so that the cost of
// the submissions shows as the gap between the two. On SQLite the name
// checks of each entry created and submitted (catalog's nameUnused and
// nameFree) read every entry of the department stored before it, which
// took most of the time -submit added (see TestNameChecksPlan).
func BenchmarkImportSubmit(b *testing.B) {
	const n = 3000
	data := catalogiotest.GeneratedCSV(n)
	for _, engine := range []struct {
		name string
		open func(testing.TB) *sqldb.DB
	}{{"sqlite", sqldbtest.SQLite}, {"postgres", sqldbtest.Postgres}} {
		for _, submit := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/%d/submit=%v", engine.name, n, submit), func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					w := newWorld(b, engine.open(b))
					b.StartTimer()
					start := time.Now()
					rep, err := importFile(w, w.gaj, data, catalogio.CSV, catalogio.Options{Submit: submit})
					if err != nil || rep.Created != n || !rep.Imported || submit && rep.Submitted != n {
						b.Fatalf("got created=%d submitted=%d imported=%v err=%v", rep.Created, rep.Submitted, rep.Imported, err)
					}
					b.ReportMetric(float64(n)/time.Since(start).Seconds(), "rows/s")
				}
			})
		}
	}
}
