package catalogio_test

import (
	"context"
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
		block := `CREATE TRIGGER audit_block BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END`
		if db.Dialect == sqldb.Postgres {
			block = `CREATE FUNCTION audit_block() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
				CREATE TRIGGER audit_block BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_block()`
		}
		if _, err := db.Write().ExecContext(context.Background(), block); err != nil {
			t.Fatal(err)
		}
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
