package catalog_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestTransferNamedEntries: a transfer naming its entries refuses, before
// it moves any, one naming an id of no entry (the lowest such id), over
// more ids than one query reads, and then one naming entries of another
// department (their codes, in the order of their ids); the entries it
// names of the department move, each named once.
func TestTransferNamedEntries(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newWorld(t, db)
		a := create(t, w, w.gaj, household())
		second := household()
		second.Name = "户籍迁移登记信息"
		b := create(t, w, w.gaj, second)
		other := create(t, w, w.rsj, household())
		transfer := func(ids ...int64) (catalog.TransferResult, error) {
			var res catalog.TransferResult
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				var err error
				res, err = catalog.TransferEntries(ctx, tx, w.operator, catalog.Transfer{FromDepartmentID: w.gajID,
					ToDepartmentID: w.scjID, EntryIDs: ids}, t0)
				return err
			})
			return res, err
		}
		many := []int64{a.ID, other.ID}
		for i := range int64(1200) {
			many = append(many, 1_000_000+i)
		}
		_, err := transfer(many...)
		if x := errs.As(err); x == nil || x.Code != "entry_not_found" || !strings.HasSuffix(x.Message, "：1000000") {
			t.Errorf("naming ids of no entry: %v, want entry_not_found of 1000000", err)
		}
		_, err = transfer(other.ID, a.ID)
		if x := errs.As(err); x == nil || x.Code != "entry_not_of_department" || !strings.HasSuffix(x.Message, "："+other.Code) {
			t.Errorf("naming another department's entry: %v, want entry_not_of_department naming %s", err, other.Code)
		}
		res, err := transfer(b.ID, a.ID, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Entries) != 2 || res.Entries[0].ID != a.ID || res.Entries[1].ID != b.ID {
			t.Errorf("moved %+v, want %d and %d", res.Entries, a.ID, b.ID)
		}
	})
}
