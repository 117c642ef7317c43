package catalog_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalog/catalogtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// world is a small district: the operator and three departments, with an
// actor for each.
type world struct {
	db                  *sqldb.DB
	operator            catalog.Actor
	gaj, rsj, scj       catalog.Actor
	gajID, rsjID, scjID int64
}

func newWorld(t *testing.T, db *sqldb.DB) *world {
	d := catalogtest.NewDistrict(t, db, t0)
	return &world{db: db, operator: d.Operator, gaj: d.GAJ, rsj: d.RSJ, scj: d.SCJ,
		gajID: d.GAJ.DepartmentID, rsjID: d.RSJ.DepartmentID, scjID: d.SCJ.DepartmentID}
}

// household is a valid personal data table of the police.
func household() catalog.Resource {
	return catalog.Resource{
		Name:     "户籍人口基本信息",
		Abstract: "辖区户籍人口的身份、户籍地址和变动情况",
		Classification: catalog.Classification{Class: catalog.Basic, CategoryCode: "01", CategoryName: "人口",
			SubcategoryCode: "001", SubcategoryName: "户籍信息"},
		Format: "database",
		Items: []catalog.Item{
			{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
			{Name: "姓名", Type: "C", Length: 50},
			{Name: "出生日期", Type: "D"},
			{Name: "户籍地址", Type: "C", Length: 200},
		},
		ShareType: catalog.Unconditional, ShareMethods: []catalog.ShareMethod{"query", "verify"},
		ShareScope: "全区政务部门", OpenAttribute: catalog.NotOpen, UpdateFrequency: "realtime",
		SecurityLevel: 3, NetworkZone: "egov_extranet", Domain: "18", SubjectKind: catalog.Person,
		ServiceItems: []catalog.ServiceItem{{Code: "11440605MB2C001", Name: "户口迁移"}},
	}
}

// create stores r as a draft of by's department.
func create(t *testing.T, w *world, by catalog.Actor, r catalog.Resource) catalog.Entry {
	t.Helper()
	var e catalog.Entry
	err := w.db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
		e, err = catalog.Create(context.Background(), tx, by, by.DepartmentID, r, t0)
		return err
	})
	if err != nil {
		t.Fatalf("Create %s: %v", r.Name, err)
	}
	return e
}

// step runs one lifecycle function in a transaction.
func step(w *world, fn func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error)) (catalog.Entry, error) {
	var e catalog.Entry
	err := w.db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
		e, err = fn(context.Background(), tx)
		return err
	})
	return e, err
}

// publish creates, submits and approves r.
func publish(t *testing.T, w *world, by catalog.Actor, r catalog.Resource) catalog.Entry {
	t.Helper()
	e := create(t, w, by, r)
	if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
		return catalog.Submit(ctx, tx, by, e.ID, t0)
	}); err != nil {
		t.Fatalf("Submit %s: %v", r.Name, err)
	}
	e, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
		return catalog.Approve(ctx, tx, w.operator, e.ID, t0)
	})
	if err != nil {
		t.Fatalf("Approve %s: %v", r.Name, err)
	}
	return e
}

// retireApproved retires entry id of by's department as the rule has it
// for a department (requirement 4): by asks (catalog.Retire records a
// request) and the operator approves (catalog.ApproveRetire), in tx.
func retireApproved(ctx context.Context, tx *sqldb.Tx, w *world, by catalog.Actor, id int64, reason string) (catalog.Entry, error) {
	if _, err := catalog.Retire(ctx, tx, by, id, reason, t0); err != nil {
		return catalog.Entry{}, err
	}
	return catalog.ApproveRetire(ctx, tx, w.operator, id, t0)
}
