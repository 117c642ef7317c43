package catalogio_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportAuditUnavailable: when the audit log cannot be written, an
// import fails with audit_unavailable and stores nothing, with or without
// good rows only; before, each row's failed audit write was reported as an
// error of that row, and the import was rejected as a file to correct.
func TestImportAuditUnavailable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		sqldbtest.BlockAudit(t, db)
		file := csvHeader + good("好行一") + good("好行二")
		for _, goodOnly := range []bool{false, true} {
			rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{GoodOnly: goodOnly})
			if e := errs.As(err); e == nil || e.Code != "audit_unavailable" || catalogio.Rejected(err) {
				t.Errorf("good only %v: got err %v (rejected %v), want audit_unavailable", goodOnly, err, catalogio.Rejected(err))
			}
			if rep.Imported || rep.RowsWithErrors != 0 || len(resourcesOf(t, w, w.gaj)) != 0 {
				t.Errorf("good only %v: imported %v, %d rows with errors, %d entries stored, want none",
					goodOnly, rep.Imported, rep.RowsWithErrors, len(resourcesOf(t, w, w.gaj)))
			}
		}
	})
}
