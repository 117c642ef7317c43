package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRefusedAdministrationAudited: an administrative action the console
// refuses its caller (403) — a scope it may not grant, an app or account
// of another department, an account of a role it does not manage, its
// own account, a form its role may not send — leaves a denied row of that
// action naming the refusal's code and the object aimed at, as the API's
// refusals do (auth.AuditRefusal): a new app refused by the role, its
// department, the form's or the caller's own; the page still says why. On
// both engines.
func TestRefusedAdministrationAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		// A department administrator of the platform operator's department,
		// who may not manage its reviewers (they review the catalog).
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, nu := range []org.NewUser{
				{Username: "platform.admin", DisplayName: "钱管理", DepartmentID: f.depts["数管局"].ID, Role: org.DeptAdmin, Password: password},
				{Username: "platform.reviewer", DisplayName: "吴审核", DepartmentID: f.depts["数管局"].ID, Role: org.Reviewer, Password: password},
			} {
				u, err := orgtest.CreateUser(ctx, tx, by, nu, f.clock.Now())
				if err != nil {
					return err
				}
				f.users[u.Username] = u
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		op := f.client(t)
		opToken := op.login("operator")
		r := op.post("/apps", url.Values{"csrf_token": {opToken}, "name": {"运维接口"}, "scopes": {"catalog.read"},
			"department": {f.depts["市场监管局"].USCC}})
		wantStatus(t, "operator creates an app", r, http.StatusCreated)
		apps, err := org.Apps(ctx, db.Read(), f.depts["市场监管局"].ID)
		if err != nil || len(apps) != 1 {
			t.Fatalf("市场监管局's apps: %+v %v", apps, err)
		}
		// admin, as a version before scope_platform_only stored it.
		if _, err := db.Write().ExecContext(ctx, `UPDATE apps SET scopes = 'admin' WHERE id = $1`, apps[0].ID); err != nil {
			t.Fatal(err)
		}
		app, err := org.AppByID(ctx, db.Read(), apps[0].ID)
		if err != nil || len(app.Keys) != 1 {
			t.Fatalf("运维接口: %+v %v", app, err)
		}
		adminApp, keyID := strconv.FormatInt(app.ID, 10), app.Keys[0].ID

		user := func(name string) string { return strconv.FormatInt(f.users[name].ID, 10) }
		police, market, platform := f.client(t), f.client(t), f.client(t)
		clients := map[string]*client{"operator": op, "police.admin": police, "market.admin": market, "platform.admin": platform}
		tokens := map[string]string{"operator": opToken, "police.admin": police.login("police.admin"),
			"market.admin": market.login("market.admin"), "platform.admin": platform.login("platform.admin")}
		reviewer := f.client(t)
		clients["reviewer"], tokens["reviewer"] = reviewer, reviewer.login("reviewer")
		for _, c := range []struct {
			caller, path   string
			form           url.Values
			message        string // what the page says
			code           string
			action, object string
		}{
			{"police.admin", "/apps", url.Values{"name": {"越权系统"}, "scopes": {"data.read", "admin"}},
				"不能授予本人没有的权限范围", "scope_not_grantable", "app.create", "department:" + strconv.FormatInt(f.depts["公安分局"].ID, 10)},
			{"police.admin", "/apps", url.Values{"name": {"越权系统"}, "scopes": {"catalog.read"}, "department": {"佛山市南海区市场监督管理局"}},
				"只能管理本部门的应用", "forbidden", "app.create", "department:" + strconv.FormatInt(f.depts["市场监管局"].ID, 10)},
			{"market.admin", "/apps/" + adminApp + "/rotate", url.Values{"grace_hours": {"0"}},
				"不能授予本人没有的权限范围", "scope_not_grantable", "app.key.rotate", "app:" + adminApp},
			{"police.admin", "/apps/" + adminApp + "/revoke", url.Values{"confirm": {"yes"}},
				"只能管理本部门的应用", "forbidden", "app.revoke", "app:" + adminApp},
			{"police.admin", "/apps/" + adminApp + "/keys/" + keyID + "/revoke", nil,
				"只能管理本部门的应用", "forbidden", "app.key.revoke", "app:" + adminApp},
			{"police.admin", "/org/users/" + user("market.admin") + "/disable", url.Values{"confirm": {"yes"}},
				"只能管理本部门的账号", "forbidden", "user.disable", "user:" + user("market.admin")},
			{"police.admin", "/org/users/" + user("operator") + "/enable", nil,
				"只能管理本部门的账号", "forbidden", "user.enable", "user:" + user("operator")},
			{"platform.admin", "/org/users/" + user("platform.reviewer") + "/password", url.Values{"password": {"Battery-Staple-7"}, "password_confirm": {"Battery-Staple-7"}},
				"部门管理员不能管理平台审核员的账号", "role_not_manageable", "user.password", "user:" + user("platform.reviewer")},
			{"operator", "/org/users/" + user("operator") + "/disable", url.Values{"confirm": {"yes"}},
				"不能停用自己的账号", "self_disable", "user.disable", "user:" + user("operator")},
			{"reviewer", "/org/users/" + user("locked") + "/disable", url.Values{"confirm": {"yes"}},
				"无权执行此操作", "forbidden", "user.disable", "user:" + user("locked")},
			{"reviewer", "/apps", url.Values{"name": {"越权系统"}, "scopes": {"catalog.read"}},
				"无权执行此操作", "forbidden", "app.create", "department:" + strconv.FormatInt(f.depts["公安分局"].ID, 10)},
			{"reviewer", "/apps", url.Values{"name": {"越权系统"}, "scopes": {"catalog.read"}, "department": {"佛山市南海区市场监督管理局"}},
				"无权执行此操作", "forbidden", "app.create", "department:" + strconv.FormatInt(f.depts["市场监管局"].ID, 10)},
		} {
			what := c.caller + " POST " + c.path
			form := url.Values{"csrf_token": {tokens[c.caller]}}
			for k, v := range c.form {
				form[k] = v
			}
			r := clients[c.caller].post(c.path, form)
			wantStatus(t, what, r, http.StatusForbidden)
			wantBody(t, what, r, c.message)
			rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Outcome: audit.Denied, Limit: 1})
			if err != nil || len(rows) != 1 {
				t.Errorf("%s: denied rows %+v %v, want one", what, rows, err)
				continue
			}
			row := rows[0]
			got := fmt.Sprint(row.Action, " ", row.ObjectType, ":", row.ObjectID, " ", row.Detail, " ", row.Actor.Name)
			if want := fmt.Sprint(c.action, " ", c.object, " ", `{"reason":"`+c.code+`"}`, " ", c.caller); got != want {
				t.Errorf("%s: the denied row is %s, want %s", what, got, want)
			}
		}
		// A forged form leaves no row: the CSRF check comes first.
		before, _, err := audit.List(ctx, db.Read(), audit.Filter{Outcome: audit.Denied, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		r = reviewer.post("/org/users/"+user("locked")+"/disable", url.Values{"csrf_token": {"forged"}, "confirm": {"yes"}})
		wantStatus(t, "forged disable", r, http.StatusForbidden)
		wantBody(t, "forged disable", r, "错误代码 csrf_failed")
		after, _, err := audit.List(ctx, db.Read(), audit.Filter{Outcome: audit.Denied, Limit: 1})
		if err != nil || len(after) != 1 || after[0].Seq != before[0].Seq {
			t.Errorf("a forged form left a denied row: %+v %v", after, err)
		}
		if res, err := audit.VerifyFromDB(ctx, db, audit.Anchor{}); err != nil || res.Problem != nil {
			t.Errorf("audit verify: %+v %v", res, err)
		}
	})
}
