// Package demo fills a fresh database with a realistic demo district:
// 广东省 → 佛山市 → 南海区, the platform operators of each level, the
// district's departments with valid unified social credit codes, staff
// accounts of every role and API apps. The Nanhai district is where the
// mutual-recognition plan (seed 000) comes from.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Password is the password of every demo account. The demo is for trying
// the product on one machine; never expose it.
const Password = "Hutong@2026"

// Account is a demo login.
type Account struct {
	Username, DisplayName, Department string
	Role                              org.Role
}

// AppKey is a demo API app with its key, known only right after seeding.
type AppKey struct {
	Name, Department, Scopes, Key string
}

// Info describes what Seed created.
type Info struct {
	Apps []AppKey
}

var regions = []org.Region{
	{Code: "440000", Name: "广东省", Level: org.Province},
	{Code: "440600", Name: "佛山市", Level: org.City, ParentCode: "440000"},
	{Code: "440605", Name: "南海区", Level: org.District, ParentCode: "440600"},
	{Code: "440604", Name: "禅城区", Level: org.District, ParentCode: "440600"},
	{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: "440600"},
}

type deptSeed struct {
	key, name, short, region string
	operator                 bool
}

// Departments of the demo, in creation order. key names them in the
// catalog and records demo data.
var departments = []deptSeed{
	{"gd-zsj", "广东省政务服务和数据管理局", "省政数局", "440000", true},
	{"fs-zsj", "佛山市政务服务和数据管理局", "市政数局", "440600", true},
	{"nh-zsj", "佛山市南海区政务服务数据管理局", "区政数局", "440605", true},
	{"gaj", "佛山市公安局南海分局", "区公安分局", "440605", false},
	{"scj", "佛山市南海区市场监督管理局", "区市场监管局", "440605", false},
	{"mzj", "佛山市南海区民政局", "区民政局", "440605", false},
	{"rsj", "佛山市南海区人力资源和社会保障局", "区人社局", "440605", false},
	{"wjj", "佛山市南海区卫生健康局", "区卫健局", "440605", false},
	{"zrj", "佛山市自然资源局南海分局", "区自然资源分局", "440605", false},
	{"zjj", "佛山市南海区住房城乡建设和水利局", "区住建水利局", "440605", false},
	{"jyj", "佛山市南海区教育局", "区教育局", "440605", false},
	{"swj", "国家税务总局佛山市南海区税务局", "区税务局", "440605", false},
	{"clj", "佛山市南海区残疾人联合会", "区残联", "440605", false},
	{"sfj", "佛山市南海区司法局", "区司法局", "440605", false},
	{"ylj", "佛山市南海区医疗保障局", "区医保局", "440605", false},
}

var accounts = []struct {
	username, name, dept string
	role                 org.Role
}{
	{"admin", "陈志远", "nh-zsj", org.Operator},
	{"fs.admin", "李文华", "fs-zsj", org.Operator},
	{"auditor", "黄丽萍", "nh-zsj", org.Auditor},
	{"reviewer", "林晓彤", "nh-zsj", org.Reviewer}, // reviews the catalog
	{"gaj.admin", "梁国强", "gaj", org.DeptAdmin},
	{"gaj.reviewer", "何敏", "gaj", org.Reviewer},
	{"scj.admin", "周建明", "scj", org.DeptAdmin},
	{"scj.reviewer", "吴晓燕", "scj", org.Reviewer},
	{"mzj.admin", "郭振华", "mzj", org.DeptAdmin},
	{"rsj.admin", "罗美玲", "rsj", org.DeptAdmin},
	{"wjj.admin", "谢伟东", "wjj", org.DeptAdmin},
}

var apps = []struct {
	name, dept, scopes, description string
}{
	{"人口信息推送系统", "gaj", "catalog.read records.write", "区公安分局户籍业务系统，向平台推送人口信息"},
	{"市场主体登记推送系统", "scj", "catalog.read records.write", "登记注册系统，推送营业执照等市场主体信息"},
	{"一窗受理审批系统", "nh-zsj", "catalog.read data.read", "区行政服务中心综合受理系统，查询、核验共享数据"},
}

// Apps returns the demo's API apps that are not revoked. Their keys are
// stored only as hashes: Seed's Info holds them once.
func Apps(ctx context.Context, q sqldb.Querier) ([]org.App, error) {
	all, err := org.Apps(ctx, q, 0)
	if err != nil {
		return nil, err
	}
	var out []org.App
	for _, a := range all {
		for _, d := range apps {
			if a.Name == d.name && a.RevokedAt == nil {
				out = append(out, a)
			}
		}
	}
	return out, nil
}

// USCC builds a valid unified social credit code for a government organ
// (registration department 1, category 1) from a region code and a number.
func USCC(region string, n int) string {
	code, err := ident.MakeUSCC("11"+region, fmt.Sprintf("%08d", 11540000+n*137))
	if err != nil {
		panic(err) // the body is eight digits
	}
	return code
}

// Accounts lists the demo logins that q's database holds: a demo database
// made before an account was added to the demo lacks it.
func Accounts(ctx context.Context, q sqldb.Querier) ([]Account, error) {
	names := map[string]string{}
	for _, d := range departments {
		names[d.key] = d.name
	}
	var out []Account
	for _, a := range accounts {
		if _, err := org.UserByName(ctx, q, a.username); errs.Is(err, errs.NotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, Account{Username: a.username, DisplayName: a.name, Department: names[a.dept], Role: a.role})
	}
	return out, nil
}

// ErrNotDemo is returned by Seeded for a database that holds departments
// but not the demo's: the demo must not add its data to it.
var ErrNotDemo = errors.New("数据库中已有部门，但不是演示区的：演示不会把数据加入其中（这样的数据库请用 hutong serve 打开）")

// Seeded reports whether db holds the demo's organisations, accounts, apps
// and catalog (Seed commits them at once; SeedRecords fills the records
// after). It returns ErrNotDemo when db holds other departments.
func Seeded(ctx context.Context, db *sqldb.DB) (bool, error) {
	var all, demo int
	err := db.Read().QueryRowContext(ctx, `SELECT count(*), count(CASE WHEN uscc = $1 THEN 1 END) FROM departments`,
		USCC(departments[0].region, 1)).Scan(&all, &demo)
	switch {
	case err != nil:
		return false, err
	case demo > 0:
		return true, nil
	case all > 0:
		return false, ErrNotDemo
	}
	return false, nil
}

// actor is the demo's seeding, which compiles, reviews and pushes the
// demo's data as a system actor, not as one of its accounts: its name is
// what the console shows as the editor and reviewer of the demo catalog's
// versions (编制人, 审核) and in the audit log, in Chinese; departmentID is
// the department it acts for (0 for none).
func actor(departmentID int64) audit.Actor {
	return audit.Actor{Kind: audit.ActorSystem, ID: "demo", Name: audit.SystemActorName("demo"), DepartmentID: departmentID}
}

// Seed creates the demo organisations, accounts, apps and catalog in one
// transaction, so that an interrupted Seed leaves nothing behind and a
// database that holds the demo's departments holds all of it.
func Seed(ctx context.Context, db *sqldb.DB, now time.Time) (Info, error) {
	var info Info
	by := actor(0)
	// The accounts' passwords are hashed before the transaction (see
	// org.NewUser.Hash), their departments set in it.
	users := make([]org.NewUser, len(accounts))
	for i, a := range accounts {
		// The demo's password is published (README): its accounts are
		// not made to change it at their first login.
		nu, err := org.NewUser{Username: a.username, DisplayName: a.name, Role: a.role, Password: Password,
			Permanent: true}.Hash(ctx)
		if err != nil {
			return info, fmt.Errorf("账号 %s：%w", a.username, err)
		}
		users[i] = nu
	}
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		for _, r := range regions {
			if err := org.CreateRegion(ctx, tx, by, &r, now); err != nil {
				return err
			}
		}
		ids := map[string]int64{}
		names := map[string]string{}
		for i, d := range departments {
			dep := org.Department{Name: d.name, ShortName: d.short, USCC: USCC(d.region, i+1), RegionCode: d.region, IsOperator: d.operator}
			if err := org.CreateDepartment(ctx, tx, by, &dep, now); err != nil {
				return fmt.Errorf("部门 %s：%w", d.name, err)
			}
			ids[d.key], names[d.key] = dep.ID, dep.Name
		}
		for i, a := range accounts {
			nu := users[i]
			nu.DepartmentID = ids[a.dept]
			if _, err := org.CreateUser(ctx, tx, by, nu, now); err != nil {
				return fmt.Errorf("账号 %s：%w", a.username, err)
			}
		}
		for _, a := range apps {
			app, key, err := org.CreateApp(ctx, tx, by, org.NewApp{Name: a.name, DepartmentID: ids[a.dept],
				Scopes: []string{a.scopes}, Description: a.description}, now)
			if err != nil {
				return fmt.Errorf("应用 %s：%w", a.name, err)
			}
			info.Apps = append(info.Apps, AppKey{Name: app.Name, Department: names[a.dept], Scopes: a.scopes, Key: key})
		}
		return seedCatalog(ctx, tx, ids, now)
	})
	return info, err
}
