package catalog_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCreateDisabledDepartment: a new entry of a disabled department (by
// an actor of it that outlived the disable: its sessions and keys end with
// it) is refused with 409 department_disabled and nothing is
// stored; once the department is enabled again it is created. On both
// engines.
func TestCreateDisabledDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		setDisabled := func(disabled bool) {
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := org.SetDepartmentDisabled(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"},
					w.rsj.DepartmentID, disabled, nil, t0)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		setDisabled(true)
		_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Create(ctx, tx, w.rsj, w.rsj.DepartmentID, household(), t0)
		})
		if e := errs.As(err); e == nil || e.Code != "department_disabled" || e.Kind.HTTPStatus() != http.StatusConflict {
			t.Errorf("create in a disabled department: %v; want 409 department_disabled", err)
		}
		var n int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM catalog_entries WHERE department_id = $1`,
			w.rsj.DepartmentID).Scan(&n); err != nil || n != 0 {
			t.Errorf("the disabled department has %d entries (%v), want none", n, err)
		}
		setDisabled(false)
		create(t, w, w.rsj, household())
	})
}
