package api_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestIdempotencyKeyOutlivesRotation: an app's Idempotency-Keys are the
// app's, not one API key's. A create retried under the key that replaced
// the first one during its grace period (the first answer was lost, and
// the client rotated meanwhile) replays the first answer and creates
// nothing more: no second catalog entry (whose name, in use, got a 409
// instead of the answer), no second rotation of another app's key (which
// issued a third live key). Another app's request under the
// same Idempotency-Key is not answered with it. On both engines.
func TestIdempotencyKeyOutlivesRotation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		var app, other, admin org.App
		var oldKey, otherKey, adminKey string
		err := db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
			by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
			scopes := []string{"catalog.read", "catalog.write"}
			if app, oldKey, err = org.CreateApp(context.Background(), tx, by,
				org.NewApp{Name: "编目", DepartmentID: f.otherID, Scopes: scopes}, t0); err != nil {
				return err
			}
			if other, otherKey, err = org.CreateApp(context.Background(), tx, by,
				org.NewApp{Name: "编目二", DepartmentID: f.otherID, Scopes: scopes}, t0); err != nil {
				return err
			}
			admin, adminKey, err = org.CreateApp(context.Background(), tx, by,
				org.NewApp{Name: "管理", DepartmentID: f.deptID, Scopes: []string{"admin"}}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		rotate := func(id int64) string {
			t.Helper()
			r := f.do(t, "POST", "/api/v1/apps/"+itoa(id)+"/rotate", f.opKey, `{"grace_hours":24}`)
			key, _ := r.body["api_key"].(string)
			if r.status != 201 || key == "" {
				t.Fatalf("rotate app %d: got %d %v", id, r.status, r.body)
			}
			return key
		}
		newKey, newAdminKey := rotate(app.ID), rotate(admin.ID)
		first := f.do(t, "POST", "/api/v1/catalog/entries", oldKey, marriageEntry, "Idempotency-Key", "entry-1")
		if first.status != 201 || first.body["id"] == nil {
			t.Fatalf("create under the old key: got %d %v", first.status, first.body)
		}
		n := f.count(t, "catalog_entries")
		again := f.do(t, "POST", "/api/v1/catalog/entries", newKey, marriageEntry, "Idempotency-Key", "entry-1")
		if again.status != 201 || again.header.Get("Idempotent-Replayed") != "true" || again.body["id"] != first.body["id"] {
			t.Errorf("retry under the new key: got %d %v %v, want the first answer (201, id %v) replayed",
				again.status, again.header.Get("Idempotent-Replayed"), again.body, first.body["id"])
		}
		if m := f.count(t, "catalog_entries"); m != n {
			t.Errorf("%d entries after the retry, want %d", m, n)
		}
		if r := f.do(t, "POST", "/api/v1/catalog/entries", otherKey, marriageEntry, "Idempotency-Key", "entry-1"); r.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("app %d under app %d's Idempotency-Key: got a replay %d %v", other.ID, app.ID, r.status, r.body)
		}

		// A rotation has no name to collide on: run again it issues
		// another live key.
		path := "/api/v1/apps/" + itoa(f.otherAppID) + "/rotate"
		first = f.do(t, "POST", path, adminKey, `{"grace_hours":1}`, "Idempotency-Key", "rotate-1")
		keyID := func(r response) any {
			k, _ := r.body["key"].(map[string]any)
			return k["key_id"]
		}
		if first.status != 201 || keyID(first) == nil {
			t.Fatalf("rotate under the old key: got %d %v", first.status, first.body)
		}
		n = f.count(t, "app_keys WHERE app_id = "+itoa(f.otherAppID))
		again = f.do(t, "POST", path, newAdminKey, `{"grace_hours":1}`, "Idempotency-Key", "rotate-1")
		if again.status != 201 || again.header.Get("Idempotent-Replayed") != "true" || keyID(again) != keyID(first) {
			t.Errorf("rotation retried under the new key: got %d %v, want the first answer (201, key %v) replayed",
				again.status, again.body, keyID(first))
		}
		if m := f.count(t, "app_keys WHERE app_id = "+itoa(f.otherAppID)); m != n {
			t.Errorf("app %d has %d keys after the retried rotation, want %d", f.otherAppID, m, n)
		}
	})
}
