package web_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentLabels: two departments of the same name in two districts
// (every district has its 区市场监督管理局), one entry each, are told
// apart by their regions wherever the console names them: the catalog's
// hits, its department facet and the filter's chip, the records pages
// (the departments' table, a department's page and heading), an entry's
// 数源部门 and the source its item points to, the transfer page (its
// title, 转出部门, the receiving departments to choose, the confirmation
// and the report, and its refusal of the receiving department once
// disabled), the public catalog's hits, facet, chip and department hints
// and an entry's page there, and the audit page's 部门 and 对象 columns; a
// name no other department holds (公安分局's) stays bare. On both engines.
func TestDepartmentLabels(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx, now := context.Background(), f.clock.Now()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			shunde := org.Region{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: "440600"}
			if err := org.CreateRegion(ctx, tx, by, &shunde, now); err != nil {
				return err
			}
			for _, d := range []org.Department{
				{Name: "区市场监督管理局", ShortName: "南海市监", USCC: uscc(t, "MB2E1111"), RegionCode: "440605"},
				{Name: "区市场监督管理局", ShortName: "顺德市监", USCC: uscc(t, "MB2F2222"), RegionCode: "440606"},
			} {
				if err := org.CreateDepartment(ctx, tx, by, &d, now); err != nil {
					return err
				}
				f.depts[d.ShortName] = d
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		code := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		home := catalog.Item{Name: "经营者住所", Type: "C", Length: 200}
		nanhaiEntry := publish(t, f, "南海市监", "南海区个体工商户登记信息", "01", "001", code, home)
		shunde := publish(t, f, "顺德市监", "顺德区个体工商户登记信息", "01", "002", code, home)
		publishKind(t, f, "公安分局", "交通电子警察点位信息", catalog.NoSubject, catalog.Item{Name: "点位编号", Type: "C", Length: 20})
		nanhaiID, shundeID := f.depts["南海市监"].ID, f.depts["顺德市监"].ID
		const nanhai, shundeLabel, police = "区市场监督管理局（南海区）", "区市场监督管理局（顺德区）", "佛山市公安局南海分局"
		bare := func(what string, r response) {
			t.Helper()
			wantBody(t, what, r, police)
			wantNoBody(t, what, r, police+"（南海区）", "· 区市场监督管理局 ·", "<span>区市场监督管理局</span>")
		}

		op := f.client(t)
		tok := op.login("operator")
		r := op.get("/catalog")
		wantBody(t, "catalog hits", r, "· "+nanhai+" ·", "· "+shundeLabel+" ·", "· "+police+" ·")
		wantBody(t, "catalog facets", r, "<span>"+nanhai+"</span>", "<span>"+shundeLabel+"</span>", "<span>"+police+"</span>")
		bare("catalog", r)
		r = op.get("/catalog?department_id=" + strconv.FormatInt(shundeID, 10))
		wantBody(t, "catalog chip", r, "数源部门："+shundeLabel+" ")
		r = op.get("/catalog?q=%E6%97%A0%E6%AD%A4%E8%B5%84%E6%BA%90&department_id=" + strconv.FormatInt(nanhaiID, 10))
		wantBody(t, "catalog chip without hits", r, "数源部门："+nanhai+" ")

		r = op.get("/records")
		wantBody(t, "records departments", r, ">"+nanhai+"</a>", ">"+shundeLabel+"</a>", ">"+police+"</a>",
			`<td class="dept">`+nanhai+"</td>", `<td class="dept">`+shundeLabel+"</td>")
		r = op.get("/records/departments/" + strconv.FormatInt(shundeID, 10))
		wantBody(t, "records department", r, "数据归集 · "+shundeLabel, shundeLabel+"的数据资源")

		r = op.get("/catalog/" + strconv.FormatInt(shunde, 10))
		wantBody(t, "entry", r, "<dd>"+shundeLabel+"</dd>", "以 <a href=", ">"+nanhai+"《南海区个体工商户登记信息》</a>",
			"权威数源："+nanhai+"《南海区个体工商户登记信息》")

		// The transfer page: the department it transfers from, the
		// receiving one to choose, the confirmation and the report.
		transfer := "/org/departments/" + strconv.FormatInt(nanhaiID, 10) + "/transfer"
		r = op.get(transfer)
		wantBody(t, "transfer", r, "<title>转移数据资源："+nanhai+" ", "转出部门："+nanhai+"</h2>", ">"+shundeLabel+"</option>", ">"+police+"</option>")
		wantNoBody(t, "transfer", r, ">区市场监督管理局</option>", ">"+police+"（南海区）</option>")
		r = op.post(transfer, url.Values{"csrf_token": {tok}, "to_department_id": {strconv.FormatInt(shundeID, 10)}})
		wantBody(t, "transfer confirmation", r, "<title>确认转移数据资源："+nanhai+" ", "从“"+nanhai+"”转移到“"+shundeLabel+"”")
		r = op.get(transfer + "?moved=1&to=" + strconv.FormatInt(shundeID, 10))
		wantBody(t, "transfer report", r, "已将 1 个数据资源转移到“"+shundeLabel+"”")

		// The public catalog: its hits, department facet, chip and the
		// departments its text names.
		anon := f.client(t)
		r = anon.get("/public/catalog")
		wantBody(t, "public hits", r, "· "+nanhai+" ·", "· "+shundeLabel+" ·", "· "+police+" ·")
		wantBody(t, "public facets", r, "<span>"+nanhai+"</span>", "<span>"+shundeLabel+"</span>", "<span>"+police+"</span>")
		bare("public catalog", r)
		r = anon.get("/public/catalog?department_id=" + strconv.FormatInt(nanhaiID, 10))
		wantBody(t, "public chip", r, "数源部门："+nanhai+" ")
		r = anon.get("/public/catalog?q=" + url.QueryEscape("区市场监督管理局"))
		wantBody(t, "public hints", r, ">"+nanhai+"</a>（1 个）", ">"+shundeLabel+"</a>（1 个）")
		wantNoBody(t, "public hints", r, ">区市场监督管理局</a>")
		r = anon.get("/public/catalog/" + sqldbtest.Column(t, db, `SELECT code FROM catalog_entries WHERE id = $1`, shunde)[0])
		wantBody(t, "public entry", r, "<dd>"+shundeLabel+"</dd>")
		wantNoBody(t, "public entry", r, "<dd>区市场监督管理局</dd>")

		r = f.loggedIn(t, "auditor").get("/audit")
		wantBody(t, "audit", r, "<td>"+nanhai+"</td>", "<td>"+shundeLabel+"</td>", "<td>"+police+"</td>")
		wantNoBody(t, "audit", r, "<td>区市场监督管理局</td>", "<td>"+police+"（南海区）</td>")

		// A third 区市场监督管理局, disabled since the form was sent
		// choosing it: the refusal names it, and the audit rows of
		// departments (its creation and disable, the others' creations)
		// name them in their 对象 column.
		const chancheng = "区市场监督管理局（禅城区）"
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			r := org.Region{Code: "440604", Name: "禅城区", Level: org.District, ParentCode: "440600"}
			if err := org.CreateRegion(ctx, tx, by, &r, now); err != nil {
				return err
			}
			d := org.Department{Name: "区市场监督管理局", ShortName: "禅城市监", USCC: uscc(t, "MB2G3333"), RegionCode: "440604"}
			if err := org.CreateDepartment(ctx, tx, by, &d, now); err != nil {
				return err
			}
			f.depts[d.ShortName] = d
			_, err := org.SetDepartmentDisabled(ctx, tx, by, d.ID, true, nil, now)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		r = op.post(transfer, url.Values{"csrf_token": {tok}, "to_department_id": {strconv.FormatInt(f.depts["禅城市监"].ID, 10)},
			"entry": {strconv.FormatInt(nanhaiEntry, 10)}, "confirm": {"1"}})
		wantBody(t, "transfer to a disabled department", r, "接收部门“"+chancheng+"”已停用")
		auditor := f.loggedIn(t, "auditor")
		for _, action := range []string{"department.create", "department.disable"} {
			r = auditor.get("/audit?action=" + action)
			wantBody(t, "audit "+action, r, "部门："+chancheng+"<")
			wantNoBody(t, "audit "+action, r, "部门：区市场监督管理局<")
		}
		r = auditor.get("/audit?action=department.create")
		wantBody(t, "audit department.create", r, "部门："+nanhai+"<", "部门："+shundeLabel+"<", "部门："+police+"<")
	})
}
