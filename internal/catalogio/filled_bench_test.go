package catalogio_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// BenchmarkImportIntoFilledCatalog imports a 5,000-entry workbook into one
// department of a fresh database (empty) and into a database where another
// department already has the same 5,000 entries (filled), on each engine:
// the second import should cost about what the first does.
func BenchmarkImportIntoFilledCatalog(b *testing.B) {
	data := workbook(b, 5000)
	engines := []struct {
		name string
		open func(testing.TB) *sqldb.DB
	}{{"sqlite", sqldbtest.SQLite}, {"postgres", sqldbtest.Postgres}}
	for _, engine := range engines {
		for _, filled := range []bool{false, true} {
			name := engine.name + "/empty"
			if filled {
				name = engine.name + "/filled"
			}
			b.Run(name, func(b *testing.B) { benchImport(b, engine.open, data, filled, false) })
		}
		// In the caller's transaction (an API import with Idempotency-Key)
		// the import keeps a savepoint across its rows.
		b.Run(engine.name+"/filled-callers-tx", func(b *testing.B) { benchImport(b, engine.open, data, true, true) })
	}
}

func benchImport(b *testing.B, open func(testing.TB) *sqldb.DB, data []byte, filled, callersTx bool) {
	for b.Loop() {
		b.StopTimer()
		w := newWorld(b, open(b))
		if filled {
			if rep, err := importFile(w, w.scj, data, catalogio.XLSX, catalogio.Options{}); err != nil || rep.Created != 5000 {
				b.Fatalf("first import: created=%d err=%v", rep.Created, err)
			}
		}
		b.StartTimer()
		start := time.Now()
		var rep *catalogio.Report
		var err error
		if callersTx {
			opt := catalogio.Options{DepartmentID: w.gajID, Now: t0}
			if txErr := w.db.Tx(context.Background(), func(tx *sqldb.Tx) error {
				rep, err = catalogio.Import(sqldb.WithTx(context.Background(), tx), w.db, w.gaj, bytes.NewReader(data), catalogio.XLSX, opt)
				return err
			}); txErr != nil && err == nil {
				err = txErr
			}
		} else {
			rep, err = importFile(w, w.gaj, data, catalogio.XLSX, catalogio.Options{})
		}
		if err != nil || rep.Created != 5000 {
			b.Fatalf("got created=%d err=%v", rep.Created, err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/import")
	}
}
