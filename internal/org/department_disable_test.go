package org_test

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// seedOther adds to seed's district a department that is not the
// operator's, with a department administrator and one app.
func seedOther(t *testing.T, db *sqldb.DB) (org.Department, org.User, org.App, string) {
	t.Helper()
	ctx := context.Background()
	d := org.Department{Name: "南海区人力资源和社会保障局", USCC: "11440605MB2C92631D", RegionCode: "440605"}
	var u org.User
	err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
		if err := org.CreateDepartment(ctx, tx, admin, &d, t0); err != nil {
			return err
		}
		u, err = orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "rsj.admin", DisplayName: "人社管理员",
			DepartmentID: d.ID, Role: org.DeptAdmin, Password: password}, t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	app, key := createApp(t, db, d, "data.read")
	return d, u, app, key
}

func disableDept(db *sqldb.DB, id int64, disabled bool) (org.DepartmentDisabling, error) {
	var out org.DepartmentDisabling
	err := db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
		out, err = org.SetDepartmentDisabled(context.Background(), tx, admin, id, disabled, nil, t0)
		return err
	})
	return out, err
}

// TestDepartmentDisable: disabling a department disables its enabled
// accounts (their sessions end, they log in no more) and revokes its apps
// (their keys authenticate no more), in one transaction with audit rows;
// the department gets no new account or app, no account moved into it,
// no account of it re-enabled. Enabling re-enables the department alone.
// Asking for the state it has changes nothing. On both engines.
func TestDepartmentDisable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		d, u, app, key := seedOther(t, db)
		s, _, err := org.Login(ctx, db, u.Username, password, org.Client{}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := org.ReachOf(ctx, db.Read(), d.ID); err != nil || r.Users != 1 || r.Apps != 1 {
			t.Fatalf("reach: %+v %v", r, err)
		}
		res, err := disableDept(db, d.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Changed || !res.Department.Disabled || res.Users != 1 || res.Apps != 1 || res.Message == "" {
			t.Fatalf("disable: %+v", res)
		}
		if got, _ := org.DepartmentByID(ctx, db.Read(), d.ID); !got.Disabled {
			t.Fatal("department not stored disabled")
		}
		if got, _ := org.UserByID(ctx, db.Read(), u.ID); !got.Disabled {
			t.Fatal("account not disabled")
		}
		if _, _, err := org.SessionUser(ctx, db.Read(), s.Token, t0); err == nil {
			t.Fatal("session of the disabled account still open")
		}
		if _, _, err := org.Login(ctx, db, u.Username, password, org.Client{}, t0); err == nil {
			t.Fatal("account of the disabled department logs in")
		}
		if _, _, _, err := new(org.KeyCache).Authenticate(ctx, db.Read(), key, t0); code(err) != "invalid_api_key" {
			t.Fatalf("key of the disabled department's app: %v", err)
		}
		if got, _ := org.AppByID(ctx, db.Read(), app.ID); got.RevokedAt == nil {
			t.Fatal("app not revoked")
		}
		for _, action := range []string{"department.disable", "user.disable", "app.revoke"} {
			rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: action})
			if err != nil || len(rows) != 1 {
				t.Fatalf("audit rows %s: %d %v", action, len(rows), err)
			}
		}

		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "rsj.new", DisplayName: "新账号",
				DepartmentID: d.ID, Role: org.Reviewer, Password: password}, t0)
			return err
		})
		if code(err) != "department_disabled" {
			t.Errorf("new account in a disabled department: %v", err)
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: "新应用", DepartmentID: d.ID, Scopes: []string{"data.read"}}, t0)
			return err
		})
		if code(err) != "department_disabled" {
			t.Errorf("new app in a disabled department: %v", err)
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.UpdateUser(ctx, tx, admin, users[org.Reviewer].ID, org.UserChange{DepartmentID: &d.ID}, t0)
			return err
		})
		if code(err) != "department_disabled" {
			t.Errorf("account moved into a disabled department: %v", err)
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.SetDisabledIf(ctx, tx, admin, u.ID, false, nil, t0)
			return err
		})
		if code(err) != "department_disabled" {
			t.Errorf("account of a disabled department enabled: %v", err)
		}

		if res, err := disableDept(db, d.ID, true); err != nil || res.Changed {
			t.Fatalf("disabling again: %+v %v", res, err)
		}
		res, err = disableDept(db, d.ID, false)
		if err != nil || !res.Changed || res.Department.Disabled || res.Users != 0 || res.Apps != 0 {
			t.Fatalf("enable: %+v %v", res, err)
		}
		if got, _ := org.UserByID(ctx, db.Read(), u.ID); !got.Disabled {
			t.Fatal("enabling the department enabled its account")
		}
		if _, _, _, err := new(org.KeyCache).Authenticate(ctx, db.Read(), key, t0); err == nil {
			t.Fatal("enabling the department brought its app's key back")
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.SetDisabledIf(ctx, tx, admin, u.ID, false, nil, t0)
			return err
		})
		if err != nil {
			t.Fatalf("account enabled after its department: %v", err)
		}
		rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "department.enable"})
		if err != nil || len(rows) != 1 {
			t.Fatalf("department.enable rows: %d %v", len(rows), err)
		}
	})
}

// TestDepartmentDisableRefused: a department holding published or
// submitted catalog entries, and the department of the last enabled
// operator account, are not disabled, and the refusal changes nothing:
// accounts stay enabled, apps active, no audit row. On both engines.
func TestDepartmentDisableRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		op, _ := seed(t, db)
		d, u, app, _ := seedOther(t, db)
		var entry int64
		err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			entry, err = catalog.PublishGenerated(ctx, tx, d.ID, catalog.GenerateResource(rand.New(rand.NewPCG(1, 2)), nil), t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		unchanged := func(what string) {
			t.Helper()
			if got, _ := org.DepartmentByID(ctx, db.Read(), d.ID); got.Disabled {
				t.Errorf("%s: department disabled", what)
			}
			if got, _ := org.UserByID(ctx, db.Read(), u.ID); got.Disabled {
				t.Errorf("%s: account disabled", what)
			}
			if got, _ := org.AppByID(ctx, db.Read(), app.ID); got.RevokedAt != nil {
				t.Errorf("%s: app revoked", what)
			}
		}
		for _, status := range []string{"published", "submitted"} {
			if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = $1 WHERE id = $2`, status, entry); err != nil {
				t.Fatal(err)
			}
			_, err := disableDept(db, d.ID, true)
			if code(err) != "department_holds_entries" {
				t.Fatalf("%s entry held: %v, want department_holds_entries", status, err)
			}
			// The console's button is named as it reads.
			if !strings.Contains(err.Error(), "仍有 1 个已发布或审核中的数据资源，不能停用：请先在该部门的页面用“转移数据资源到其他部门”") {
				t.Errorf("%s entry held: %v", status, err)
			}
			unchanged(status)
		}
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = 'retired' WHERE id = $1`, entry); err != nil {
			t.Fatal(err)
		}
		if _, err := disableDept(db, op.ID, true); code(err) != "last_operator" {
			t.Fatalf("operator's department: %v, want last_operator", err)
		}
		if got, _ := org.DepartmentByID(ctx, db.Read(), op.ID); got.Disabled {
			t.Error("operator's department disabled")
		}
		if n, _ := org.CountUsers(ctx, db.Read(), org.UserFilter{DepartmentID: op.ID, Disabled: new(bool)}); n != len(org.Roles) {
			t.Errorf("operator's department: %d enabled accounts, want %d", n, len(org.Roles))
		}
		rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "department.disable"})
		if err != nil || len(rows) != 0 {
			t.Fatalf("refusals audited as done: %d %v", len(rows), err)
		}
		if _, err := disableDept(db, d.ID, true); err != nil {
			t.Fatalf("retired entries only: %v", err)
		}
	})
}

// TestDepartmentDisableRefusalAudited: a disable refused by a rule
// (department_holds_entries, last_operator) leaves, through
// AuditDisableRefusal after the refused transaction rolled back, a denied
// department.disable row naming who tried, the department and the
// refusal's code; a stale tag, a department that does not exist and a
// disable done leave no denied row. On both engines.
func TestDepartmentDisableRefusalAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		op, _ := seed(t, db)
		d, _, _, _ := seedOther(t, db)
		entry := publishedEntry(t, db, d)
		try := func(id int64, ifMatch []string) error {
			var res org.DepartmentDisabling
			err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				res, err = org.SetDepartmentDisabled(ctx, tx, admin, id, true, ifMatch, t0)
				return err
			})
			if aerr := org.AuditDisableRefusal(ctx, db, admin, res.Department, err, t0); aerr != nil {
				t.Fatal(aerr)
			}
			return err
		}
		denied := func() []audit.Entry {
			t.Helper()
			rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "department.disable", Outcome: audit.Denied})
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		if err := try(d.ID, nil); code(err) != "department_holds_entries" {
			t.Fatalf("holding a published entry: %v, want department_holds_entries", err)
		}
		if err := try(op.ID, nil); code(err) != "last_operator" {
			t.Fatalf("operator's department: %v, want last_operator", err)
		}
		rows := denied()
		if len(rows) != 2 {
			t.Fatalf("%d denied rows, want 2: %+v", len(rows), rows)
		}
		for i, want := range []struct {
			dept   org.Department
			reason string
		}{{op, "last_operator"}, {d, "department_holds_entries"}} { // newest first
			r := rows[i]
			if wantDetail := audit.Detail("name", want.dept.Name, "reason", want.reason); r.Actor.Kind != admin.Kind ||
				r.Actor.ID != admin.ID || r.ObjectType != "department" || r.ObjectID != strconv.FormatInt(want.dept.ID, 10) ||
				r.Detail != wantDetail {
				t.Errorf("row %d: %+v, want by %v on department %d with detail %s", i, r.Event, admin, want.dept.ID, wantDetail)
			}
		}
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = 'retired' WHERE id = $1`, entry); err != nil {
			t.Fatal(err)
		}
		if err := try(d.ID, []string{"stale"}); code(err) != "concurrent_update" {
			t.Fatalf("stale tag: %v, want concurrent_update", err)
		}
		if err := try(999, nil); code(err) != "department_not_found" {
			t.Fatalf("no such department: %v, want department_not_found", err)
		}
		if err := try(d.ID, nil); err != nil {
			t.Fatalf("disable: %v", err)
		}
		if rows := denied(); len(rows) != 2 {
			t.Errorf("%d denied rows after a stale tag, a missing department and a disable done, want still 2", len(rows))
		}
	})
}

// publishedEntry publishes a generated catalog entry of department d.
func publishedEntry(t *testing.T, db *sqldb.DB, d org.Department) int64 {
	t.Helper()
	var entry int64
	err := db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
		entry, err = catalog.PublishGenerated(context.Background(), tx, d.ID, catalog.GenerateResource(rand.New(rand.NewPCG(1, 2)), nil), t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return entry
}
