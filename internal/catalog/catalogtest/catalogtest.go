// Package catalogtest builds the small district that the catalog and
// catalog import tests run in.
package catalogtest

import (
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// District is 南海区 (440605) under 广东省: the operator's department and
// three source departments, each with an editor. An actor's DepartmentID is
// its department's id.
type District struct {
	Operator      catalog.Actor // 南海区政务服务数据管理局 (数据局)
	GAJ, RSJ, SCJ catalog.Actor // editors of 公安, 人社 and 市监
	GAJName       string
}

// departments are the district's departments, operator first, with their
// short names.
var departments = [...][2]string{
	{"南海区政务服务数据管理局", "数据局"},
	{"佛山市公安局南海分局", "南海公安分局"},
	{"南海区人力资源和社会保障局", "区人社局"},
	{"南海区市场监督管理局", "区市监局"},
}

// NewDistrict creates the district in db, as of at.
func NewDistrict(t testing.TB, db *sqldb.DB, at time.Time) District {
	t.Helper()
	ctx := context.Background()
	var d District
	sys := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		if err := org.CreateRegion(ctx, tx, sys, &org.Region{Code: "440000", Name: "广东省", Level: org.Province}, at); err != nil {
			return err
		}
		if err := org.CreateRegion(ctx, tx, sys, &org.Region{Code: "440605", Name: "南海区", Level: org.District, ParentCode: "440000"}, at); err != nil {
			return err
		}
		var ids [len(departments)]int64
		for i, n := range departments {
			dep := org.Department{Name: n[0], ShortName: n[1], USCC: demo.USCC("440605", i+1), RegionCode: "440605", IsOperator: i == 0}
			if err := org.CreateDepartment(ctx, tx, sys, &dep, at); err != nil {
				return err
			}
			ids[i] = dep.ID
		}
		d.Operator = Actor("admin", ids[0], false, true)
		d.GAJ, d.GAJName = Actor("gaj.admin", ids[1], true, false), departments[1][0]
		d.RSJ = Actor("rsj.admin", ids[2], true, false)
		d.SCJ = Actor("scj.admin", ids[3], true, false)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Actor is a staff member of department dept named name, editor of its
// catalog and/or the operator.
func Actor(name string, dept int64, editor, operator bool) catalog.Actor {
	return catalog.Actor{Actor: audit.Actor{Kind: audit.ActorUser, ID: name, Name: name, DepartmentID: dept},
		Editor: editor, Operator: operator}
}
