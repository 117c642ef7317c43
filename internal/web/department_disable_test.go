package web_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDisableDepartmentPage: the department's 修改 page states how many
// accounts and apps disabling it touches; disabling needs the
// confirmation ticked; a department still holding a published entry is
// refused on the page, nothing changed; once disabled, the department is
// marked 已停用 in the list, its accounts are logged out, it gets no new
// account and it is no department offered to a new app; 启用部门 re-enables it alone, saying
// so. On both engines.
func TestDisableDepartmentPage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		d := f.depts["市场监管局"]
		base := "/org/departments/" + strconv.FormatInt(d.ID, 10)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, _, err := org.CreateApp(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"},
				org.NewApp{Name: "市监查询", DepartmentID: d.ID, Scopes: []string{"catalog.read"}}, f.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		market := f.loggedIn(t, "market.admin")
		op := f.client(t)
		token := op.login("operator")

		r := op.get(base + "/edit")
		wantStatus(t, "edit page", r, http.StatusOK)
		wantBody(t, "edit page", r, `id="disable-department"`, `<span id="reach-users">1</span> 个账号`, `<span id="reach-apps">1</span> 个应用`)

		r = op.post(base+"/disable", url.Values{"csrf_token": {token}})
		wantStatus(t, "disable unconfirmed", r, http.StatusBadRequest)
		wantBody(t, "disable unconfirmed", r, "请勾选“确认停用”后再提交")

		var entry int64
		err = db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			entry, err = catalog.PublishGenerated(ctx, tx, d.ID, catalog.GenerateResource(rand.New(rand.NewPCG(1, 2)), nil), f.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		r = op.post(base+"/disable", url.Values{"csrf_token": {token}, "confirm": {"yes"}})
		wantStatus(t, "disable holding an entry", r, http.StatusConflict)
		wantBody(t, "disable holding an entry", r, "转移数据资源到其他部门", `id="switch-error"`)
		if got, _ := org.DepartmentByID(ctx, db.Read(), d.ID); got.Disabled {
			t.Fatal("refused, yet disabled")
		}
		wantStatus(t, "market admin still logged in", market.get("/org/users"), http.StatusOK)
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = 'retired' WHERE id = $1`, entry); err != nil {
			t.Fatal(err)
		}

		r = op.post(base+"/disable", url.Values{"csrf_token": {token}, "confirm": {"yes"}})
		wantStatus(t, "disable", r, http.StatusSeeOther)
		if loc := r.Location; loc != "/org?msg=department_disabled#departments" {
			t.Errorf("disable redirects to %q", loc)
		}
		wantBody(t, "org page", op.get("/org?msg=department_disabled"), "部门已停用，其账号已一并停用", `<span class="tag tag-warn">已停用</span>`)
		if r := market.get("/org/users"); r.Status == http.StatusOK {
			t.Error("the disabled department's account is still logged in")
		}
		r = op.get(base + "/edit")
		wantBody(t, "edit page of the disabled department", r, `id="department-disabled"`, `id="enable-department"`)
		r = op.get("/apps/departments?department="+url.QueryEscape("市场"), "HX-Request", "true")
		if r.Status != http.StatusOK || strings.Contains(r.Body, d.Name) {
			t.Errorf("the disabled department is offered to a new app: %d\n%s", r.Status, r.Body)
		}

		r = op.post("/org/users/new", url.Values{"csrf_token": {token}, "username": {"market.new"}, "display_name": {"新账号"},
			"department": {d.Name}, "role": {"reviewer"}, "password": {password}, "password_confirm": {password}})
		wantStatus(t, "new account in the disabled department", r, http.StatusConflict)
		wantBody(t, "new account in the disabled department", r, "已停用，不能再添加账号或应用")

		r = op.post(base+"/enable", url.Values{"csrf_token": {token}})
		wantStatus(t, "enable", r, http.StatusSeeOther)
		wantBody(t, "org page after enable", op.get("/org?msg=department_enabled"), "其账号和应用保持停用、注销状态")
		if got, _ := org.DepartmentByID(ctx, db.Read(), d.ID); got.Disabled {
			t.Error("not enabled")
		}
		if u, _ := org.UserByName(ctx, db.Read(), "market.admin"); !u.Disabled {
			t.Error("enabling the department enabled its account")
		}
	})
}

// TestDisableDepartmentRefusalAudited: 停用部门 refused because the
// department still holds a published entry is told on the page as before
// (409) and leaves a denied department.disable row naming the operator,
// the department and the refusal's code (department_holds_entries), as
// the API's refusal does. Before, it left no row. On both engines.
func TestDisableDepartmentRefusalAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		d := f.depts["市场监管局"]
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := catalog.PublishGenerated(ctx, tx, d.ID, catalog.GenerateResource(rand.New(rand.NewPCG(1, 2)), nil), f.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		op := f.client(t)
		token := op.login("operator")
		r := op.post("/org/departments/"+strconv.FormatInt(d.ID, 10)+"/disable", url.Values{"csrf_token": {token}, "confirm": {"yes"}})
		wantStatus(t, "disable holding an entry", r, http.StatusConflict)
		wantBody(t, "disable holding an entry", r, "转移数据资源到其他部门", `id="switch-error"`)
		rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "department.disable"})
		if err != nil {
			t.Fatal(err)
		}
		if wantDetail := audit.Detail("name", d.Name, "reason", "department_holds_entries"); len(rows) != 1 ||
			rows[0].Outcome != audit.Denied || rows[0].Actor.Kind != audit.ActorUser || rows[0].Actor.Name != "operator" ||
			rows[0].ObjectType != "department" || rows[0].ObjectID != strconv.FormatInt(d.ID, 10) || rows[0].Detail != wantDetail {
			t.Errorf("department.disable rows: %+v; want one denied, by operator, on department %d, detail %s", rows, d.ID, wantDetail)
		}
	})
}
