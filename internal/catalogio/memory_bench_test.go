package catalogio_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/catalogio/catalogiotest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// BenchmarkImportCSV20000 imports (dry run) a generated CSV of 20,000
// entries, 10 MB, into a fresh SQLite database, reporting the peak heap
// and the bytes allocated besides the time.
func BenchmarkImportCSV20000(b *testing.B) {
	data := catalogiotest.GeneratedCSV(20000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		b.StopTimer()
		w := newWorld(b, sqldbtest.SQLite(b))
		b.StartTimer()
		start := time.Now()
		var rep *catalogio.Report
		var err error
		catalogiotest.ReportPeakHeap(b, func() { rep, err = importFile(w, w.gaj, data, catalogio.CSV, catalogio.Options{DryRun: true}) })
		if err != nil || rep.Created != 20000 {
			b.Fatalf("got created=%d err=%v", rep.Created, err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/import")
	}
}
