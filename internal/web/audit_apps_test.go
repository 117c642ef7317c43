package web_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditNamesApps: the audit page names the app a row is about, as it
// names an account (应用：户籍核验系统 where it showed 应用 app:4), the app
// whose key was refused, and beside an app acting, the key it used. On
// both engines.
func TestAuditNamesApps(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		var app org.App
		err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			app, _, err = org.CreateApp(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "checker", Name: "checker"},
				org.NewApp{Name: "户籍核验系统", DepartmentID: f.depts["公安分局"].ID, Scopes: []string{"catalog.read"}}, f.clock.Now())
			if err != nil {
				return err
			}
			for _, keyID := range []string{app.Keys[0].ID, "nosuchkey"} {
				if err := audit.Record(ctx, tx, audit.Event{Actor: audit.Actor{Kind: audit.ActorAnonymous, ID: keyID, RemoteAddr: "10.0.0.1"},
					Action: "auth.key", ObjectType: "app_key", ObjectID: keyID, Outcome: audit.Denied,
					Detail: audit.Detail("path", "/api/v1/catalog")}, f.clock.Now()); err != nil {
					return err
				}
			}
			return audit.Record(ctx, tx, audit.Event{Actor: org.AppActor(app, app.Keys[0].ID, "10.0.0.2"), Action: "catalog.read",
				ObjectType: "catalog_entry", ObjectID: "1"}, f.clock.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		c := f.loggedIn(t, "auditor")
		wantAuditRows(t, "app created", c.get("/audit?action=app.create&actor=checker"), 1, "应用：户籍核验系统",
			"app:"+strconv.FormatInt(app.ID, 10))
		r := c.get("/audit?action=auth.key")
		wantAuditRows(t, "keys refused", r, 2, "应用密钥")
		wantBody(t, "key refused", r, "应用密钥：户籍核验系统<div", "app_key:"+app.Keys[0].ID)
		wantNoBody(t, "unknown key", r, "应用密钥：户籍核验系统<div class=\"muted mono small\">app_key:nosuchkey")
		wantAuditRows(t, "app acting", c.get("/audit?action=catalog.read&actor_kind=app"), 1,
			`>户籍核验系统</a><span class="muted small">（密钥 <span class="mono">`+app.Keys[0].ID+`</span>）</span>`)
	})
}
