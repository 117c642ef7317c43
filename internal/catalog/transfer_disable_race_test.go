package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestTransferWhileDisabling: a transfer to a department whose disable
// holds it (not yet committed) waits for the disable and is refused
// (department_disabled); the published entry stays with its department.
// On PostgreSQL the transfer read the receiver enabled before it waited
// and moved the entry into the disabled department.
func TestTransferWhileDisabling(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		disable := func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := org.SetDepartmentDisabled(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"},
				w.scjID, true, nil, t0)
			return err
		}
		transfer := func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := catalog.TransferEntries(ctx, tx, w.operator, catalog.Transfer{FromDepartmentID: w.gajID,
				ToDepartmentID: w.scjID, EntryIDs: []int64{e.ID}}, t0)
			return err
		}
		disErr, err := sqldbtest.Race(t, db, disable, transfer)
		if disErr != nil {
			t.Fatalf("disable: %v", disErr)
		}
		if x := errs.As(err); x == nil || x.Code != "department_disabled" {
			t.Errorf("transfer while the receiver was being disabled: %v; want department_disabled", err)
		}
		var dept int64
		if err := db.Read().QueryRowContext(context.Background(), `SELECT department_id FROM catalog_entries WHERE id = $1`,
			e.ID).Scan(&dept); err != nil {
			t.Fatal(err)
		}
		if dept != w.gajID {
			t.Errorf("entry of department %d after the transfer, want %d (not moved)", dept, w.gajID)
		}
	})
}
