package catalogio_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportDisabledDepartment: a catalog import into a disabled
// department, submitting or not, a dry run too, is refused with 409
// department_disabled and stores nothing; before, it created (and
// submitted) entries of the department. On both engines.
func TestImportDisabledDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.SetDepartmentDisabled(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"},
				w.scjID, true, nil, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, opt := range []catalogio.Options{{Submit: true}, {}, {DryRun: true}} {
			rep, err := importFile(w, w.scj, []byte(csvHeader+good("停用部门导入目录")), catalogio.CSV, opt)
			if e := errs.As(err); e == nil || e.Code != "department_disabled" || e.Kind.HTTPStatus() != http.StatusConflict {
				t.Errorf("import %+v into a disabled department: %+v, %v; want 409 department_disabled", opt, rep, err)
			}
		}
		var n int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM catalog_entries WHERE department_id = $1`, w.scjID).Scan(&n); err != nil || n != 0 {
			t.Errorf("the disabled department has %d entries (%v), want none", n, err)
		}
	})
}
