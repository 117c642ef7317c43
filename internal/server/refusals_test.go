package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRefusedAppCreationAuditedAlike: a reviewer refused a new app leaves
// the same denied row whether it used the console's form (应用与密钥) or
// POST /api/v1/apps: app.create on the department the app would have been
// made in (its own, none named), reason forbidden, as docs/keys.md says;
// the console wrote it on an app of no id. On both engines.
func TestRefusedAppCreationAuditedAlike(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		ts := newServer(t, db)
		dept, _ := seedConsole(t, db)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := orgtest.CreateUser(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}, org.NewUser{
				Username: "checker", DisplayName: "赵审核", DepartmentID: dept, Role: org.Reviewer, Password: "Hutong-Test-2026"}, time.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		c, csrf := consoleLogin(t, ts.URL, "checker")
		denied := func(what string, resp *http.Response, err error) audit.Entry {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("%s: status %d, want 403", what, resp.StatusCode)
			}
			rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Outcome: audit.Denied, Limit: 1})
			if err != nil || len(rows) != 1 {
				t.Fatalf("%s: denied rows %+v %v, want one", what, rows, err)
			}
			return rows[0]
		}
		resp, err := c.PostForm(ts.URL+"/apps", url.Values{"csrf_token": {csrf}, "name": {"越权系统"}, "scopes": {"catalog.read"}})
		console := denied("console", resp, err)
		req, err := http.NewRequest("POST", ts.URL+"/api/v1/apps", strings.NewReader(`{"name":"越权系统","scopes":["catalog.read"]}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(auth.CSRFHeader, csrf)
		resp, err = c.Do(req)
		api := denied("API", resp, err)
		if api.Seq == console.Seq {
			t.Fatalf("the API's refusal left no denied row of its own")
		}
		want := fmt.Sprint("app.create department:", dept, ` {"reason":"forbidden"} checker`)
		for what, row := range map[string]audit.Entry{"console": console, "API": api} {
			if got := fmt.Sprint(row.Action, " ", row.ObjectType, ":", row.ObjectID, " ", row.Detail, " ", row.Actor.Name); got != want {
				t.Errorf("%s: the denied row is %s, want %s", what, got, want)
			}
		}
	})
}
