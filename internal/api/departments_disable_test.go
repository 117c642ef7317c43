package api_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDisableDepartment: POST /departments/{id}/disable, the operator's
// only, disables the department, its accounts (their sessions end) and
// its apps (their keys are refused); the department shows disabled: true,
// gets no new account, and /enable re-enables it alone, saying so. A
// department that holds a published entry is refused (409
// department_holds_entries) with nothing changed; a stale If-Match is
// refused as PUT's. On both engines.
func TestDisableDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		path := "/api/v1/departments/" + itoa(f.otherID)
		admin := f.session(t, "mz.admin")
		if r := f.do(t, "POST", path+"/disable", "", "", admin...); r.status != 403 || r.body["code"] != "forbidden" {
			t.Fatalf("department administrator disabling: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", path+"/disable", f.readKey, ""); r.status != 403 {
			t.Fatalf("app without admin scope disabling: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", "/api/v1/departments/999/disable", f.opKey, ""); r.status != 404 || r.body["code"] != "department_not_found" {
			t.Fatalf("unknown department: %d %v", r.status, r.body)
		}

		// A published entry held: refused, nothing changed.
		var entry int64
		err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			entry, err = catalog.PublishGenerated(ctx, tx, f.otherID, catalog.GenerateResource(rand.New(rand.NewPCG(1, 2)), nil), t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		r := f.do(t, "POST", path+"/disable", f.opKey, "")
		if detail, _ := r.body["detail"].(string); r.status != 409 || r.body["code"] != "department_holds_entries" || !strings.Contains(detail, "转移数据资源到其他部门") {
			t.Fatalf("holding a published entry: %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/me", f.readKey, ""); r.status != 200 {
			t.Fatalf("the refusal revoked the app's key: %d", r.status)
		}
		if r := f.do(t, "GET", "/api/v1/me", "", "", admin...); r.status != 200 {
			t.Fatalf("the refusal ended the session: %d", r.status)
		}
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = 'retired' WHERE id = $1`, entry); err != nil {
			t.Fatal(err)
		}

		tag := f.do(t, "GET", path, f.opKey, "").header.Get("ETag")
		if r := f.do(t, "POST", path+"/disable", f.opKey, "", "If-Match", `"stale"`); r.status != 409 || r.body["code"] != "concurrent_update" {
			t.Fatalf("stale If-Match: %d %v", r.status, r.body)
		}
		r = f.do(t, "POST", path+"/disable", f.opKey, "", "If-Match", tag)
		dept, _ := r.body["department"].(map[string]any)
		if r.status != 200 || dept["disabled"] != true || r.body["disabled_users"] != 2.0 || r.body["revoked_apps"] != 1.0 || r.header.Get("ETag") == "" {
			t.Fatalf("disable: %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/me", f.readKey, ""); r.status != 401 || r.body["code"] != "invalid_api_key" {
			t.Errorf("key of the disabled department's app: %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/me", "", "", admin...); r.status != 401 {
			t.Errorf("session of the disabled department's account: %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", path, f.opKey, ""); r.body["disabled"] != true {
			t.Errorf("GET after disable: %v", r.body)
		}
		list := f.do(t, "GET", "/api/v1/departments", f.opKey, "")
		items, _ := list.body["items"].([]any)
		var shown bool
		for _, it := range items {
			if d := it.(map[string]any); d["id"] == float64(f.otherID) {
				shown = d["disabled"] == true
			}
		}
		if !shown {
			t.Errorf("list does not show the department disabled: %v", list.body)
		}
		if r := f.do(t, "POST", "/api/v1/users", f.opKey, `{"username":"mz.new","display_name":"新人","department_id":`+itoa(f.otherID)+`,"role":"reviewer","password":"Correct-Horse-9"}`); r.status != 409 || r.body["code"] != "department_disabled" {
			t.Errorf("new account in the disabled department: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", "/api/v1/apps", f.opKey, `{"name":"新应用","department_id":`+itoa(f.otherID)+`,"scopes":["catalog.read"]}`); r.status != 409 || r.body["code"] != "department_disabled" {
			t.Errorf("new app in the disabled department: %d %v", r.status, r.body)
		}
		if r := f.do(t, "PUT", path, f.opKey, `{"name":"南海区民政局","uscc":"11440605MB2C9235XX","disabled":true}`); r.status != 200 {
			t.Errorf("PUT of a body with disabled, as GET answers it: %d %v", r.status, r.body)
		}

		r = f.do(t, "POST", path+"/enable", f.opKey, "")
		dept, _ = r.body["department"].(map[string]any)
		if msg, _ := r.body["message"].(string); r.status != 200 || dept["disabled"] != false || !strings.Contains(msg, "账号和应用保持") {
			t.Fatalf("enable: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"mz.admin","password":"`+password+`"}`); r.status == 200 {
			t.Error("enabling the department enabled its account")
		}
		if r := f.do(t, "POST", path+"/enable", f.opKey, ""); r.status != 200 || r.body["changed"] != false {
			t.Errorf("enabling again: %d %v", r.status, r.body)
		}
		var rows int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action IN ('department.disable', 'department.enable') AND outcome = 'ok'`).Scan(&rows); err != nil || rows != 2 {
			t.Errorf("audit rows: %d %v, want 2", rows, err)
		}
	})
}

// TestDisableDepartmentRefusalAudited: a disable refused by a rule — the
// department holds a published entry (409 department_holds_entries), it
// is the last enabled operator's (409 last_operator) — is answered as
// before and leaves a denied department.disable row naming the caller,
// the department and the refusal's code; a stale If-Match leaves none.
// Before, a refused disable left no row. On both engines.
func TestDisableDepartmentRefusalAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := catalog.PublishGenerated(ctx, tx, f.otherID, catalog.GenerateResource(rand.New(rand.NewPCG(1, 2)), nil), t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/departments/" + itoa(f.otherID)
		r := f.do(t, "POST", path+"/disable", f.opKey, "")
		if detail, _ := r.body["detail"].(string); r.status != 409 || r.body["code"] != "department_holds_entries" || !strings.Contains(detail, "转移数据资源到其他部门") {
			t.Fatalf("holding a published entry: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", "/api/v1/departments/"+itoa(f.deptID)+"/disable", f.opKey, ""); r.status != 409 || r.body["code"] != "last_operator" {
			t.Fatalf("the last operator's department: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", path+"/disable", f.opKey, "", "If-Match", `"stale"`); r.status != 409 || r.body["code"] != "concurrent_update" {
			t.Fatalf("stale If-Match: %d %v", r.status, r.body)
		}
		rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "department.disable"})
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			id     int64
			name   string
			reason string
		}{{f.otherID, "南海区民政局", "department_holds_entries"}, {f.deptID, "南海区政务服务数据管理局", "last_operator"}}
		if len(rows) != len(want) {
			t.Fatalf("%d department.disable rows, want %d: %+v", len(rows), len(want), rows)
		}
		for i, w := range want {
			r := rows[len(rows)-1-i] // oldest first
			if wantDetail := audit.Detail("name", w.name, "reason", w.reason); r.Outcome != audit.Denied || r.Actor.Kind != audit.ActorApp ||
				r.Actor.Name != "运维" || r.ObjectType != "department" || r.ObjectID != itoa(w.id) || r.Detail != wantDetail {
				t.Errorf("row %d: %+v; want denied, by the app 运维, on department %d, detail %s", i, r.Event, w.id, wantDetail)
			}
		}
	})
}
