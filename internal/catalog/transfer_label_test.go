package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalog/catalogtest"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestTransferRefusalLabels: a transfer between two namesakes of two
// regions, refused as from a department with no entries (no_entries),
// naming an entry of another department (entry_not_of_department) or
// moving an entry named like one the receiving department has published
// (duplicate_entry_name), names the department by its label, where both
// read 区市场监督管理局. On both engines.
func TestTransferRefusalLabels(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newWorld(t, db)
		sys := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		nanhai := org.Department{Name: "区市场监督管理局", USCC: demo.USCC("440605", 11), RegionCode: "440605"}
		shunde := org.Department{Name: "区市场监督管理局", USCC: demo.USCC("440606", 1), RegionCode: "440606"}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, sys, &org.Region{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: "440000"}, t0); err != nil {
				return err
			}
			for _, d := range []*org.Department{&nanhai, &shunde} {
				if err := org.CreateDepartment(ctx, tx, sys, d, t0); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		transfer := func(ids ...int64) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := catalog.TransferEntries(ctx, tx, w.operator, catalog.Transfer{FromDepartmentID: nanhai.ID,
					ToDepartmentID: shunde.ID, EntryIDs: ids}, t0)
				return err
			})
		}
		refused := func(what string, err error, code, want string) {
			t.Helper()
			if x := errs.As(err); x == nil || x.Code != code || x.Message != want {
				t.Errorf("%s: %v, want %s: %s", what, err, code, want)
			}
		}
		refused("every entry of a department with none", transfer(), "no_entries",
			"部门“区市场监督管理局（南海区）”没有数据资源，无可转移")
		// Published before another department's draft has its items: no
		// authoritative source to choose.
		moved := publish(t, w, catalogtest.Actor("nh.admin", nanhai.ID, true, false), household())
		other := create(t, w, w.gaj, household())
		refused("an entry of another department", transfer(other.ID), "entry_not_of_department",
			"以下数据资源不属于转出部门“区市场监督管理局（南海区）”，未转移："+other.Code)
		sd := catalogtest.Actor("sd.admin", shunde.ID, true, false)
		held := create(t, w, sd, household())
		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, sd, held.ID, t0)
		}); err != nil {
			t.Fatal(err)
		}
		refused("an entry named like one of the receiving department", transfer(moved.ID), "duplicate_entry_name",
			"接收部门“区市场监督管理局（顺德区）”已有同名的数据资源，转移后将重复编目："+moved.Code+"“"+moved.Name+
				"”（接收部门的 "+held.Code+"）。请先注销重复的一个，或修订名称后再转移")
	})
}
