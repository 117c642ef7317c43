package catalogio_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportInCallersTx: called with a context that carries the caller's
// transaction (sqldb.WithTx), which its db.Tx joins instead of ending, a
// dry run and a rejected import still store nothing when the caller
// commits, and a real import is committed with the caller's.
func TestImportInCallersTx(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		inTx := func(file string, opt catalogio.Options) (rep *catalogio.Report, err error) {
			opt.DepartmentID, opt.Now = w.gajID, t0
			txErr := db.Tx(ctx, func(tx *sqldb.Tx) error {
				rep, err = catalogio.Import(sqldb.WithTx(ctx, tx), db, w.gaj, bytes.NewReader([]byte(file)), catalogio.CSV, opt)
				return nil // the caller commits whatever Import left
			})
			if txErr != nil {
				t.Fatal(txErr)
			}
			return rep, err
		}
		rep, err := inTx(csvHeader+good("甲项"), catalogio.Options{DryRun: true})
		if err != nil || rep.Created != 1 || rep.Imported {
			t.Fatalf("dry run: %+v, err %v", rep, err)
		}
		if rs := resourcesOf(t, w, w.gaj); len(rs) != 0 {
			t.Errorf("dry run stored %d entries", len(rs))
		}
		_, err = inTx(csvHeader+good("乙项")+strings.Replace(good("丁项"), "政务外网", "火星网", 1), catalogio.Options{})
		if !catalogio.Rejected(err) {
			t.Fatalf("bad row: err %v, want rejected", err)
		}
		if rs := resourcesOf(t, w, w.gaj); len(rs) != 0 {
			t.Errorf("rejected import stored %d entries", len(rs))
		}
		if n := auditCount(t, db, "catalog.create"); n != 0 {
			t.Errorf("%d catalog.create audit rows, want none", n)
		}
		rep, err = inTx(csvHeader+good("丙项"), catalogio.Options{})
		if err != nil || !rep.Imported {
			t.Fatalf("import: %+v, err %v", rep, err)
		}
		if rs := resourcesOf(t, w, w.gaj); len(rs) != 1 {
			t.Errorf("import stored %d entries, want 1", len(rs))
		}
	})
}
