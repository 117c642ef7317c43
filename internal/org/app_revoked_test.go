package org_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRevokeRevokedApp: an app revoked already is refused a second
// revocation as it is a rotation, 409 app_revoked (it exists: reading it
// shows when it was revoked), and nothing is recorded; an app that does not
// exist is 404 app_not_found. A revoked app's name stays its own, so that
// the audit log's names tell apps apart: a new app of that name in its
// department is 409 app_exists, saying the name belonged to a revoked app.
// On both engines.
func TestRevokeRevokedApp(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		app, _ := createApp(t, db, d, "data.read")
		revoke := func(id int64) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error { return org.RevokeApp(ctx, tx, admin, id, t0) })
		}
		if err := revoke(app.ID); err != nil {
			t.Fatal(err)
		}
		rows := func() int {
			var n int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'app.revoke'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := rows()
		err := revoke(app.ID)
		if e := errs.As(err); e == nil || e.Code != "app_revoked" || e.Kind.HTTPStatus() != http.StatusConflict || !strings.Contains(e.Message, "已注销") {
			t.Errorf("second revocation: %v, want 409 app_revoked", err)
		}
		if n := rows() - before; n != 0 {
			t.Errorf("second revocation recorded %d rows", n)
		}
		if err := revoke(app.ID + 100); code(err) != "app_not_found" {
			t.Errorf("revoke a missing app: %v, want app_not_found", err)
		}
		create := func(name string) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: name, DepartmentID: d.ID, Scopes: []string{"data.read"}}, t0)
				return err
			})
		}
		err = create(app.Name)
		if e := errs.As(err); e == nil || e.Code != "app_exists" || !strings.Contains(e.Message, "已注销") || !strings.Contains(e.Message, app.Name) {
			t.Errorf("a new app of a revoked app's name: %v, want app_exists saying it was revoked", err)
		}
		if err := create("综合窗口"); err != nil {
			t.Fatal(err)
		}
		err = create("综合窗口")
		if e := errs.As(err); e == nil || e.Code != "app_exists" || strings.Contains(e.Message, "已注销") {
			t.Errorf("a new app of an active app's name: %v, want app_exists, not saying revoked", err)
		}
	})
}
