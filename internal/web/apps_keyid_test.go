package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRevokeKeyNeverEchoesAKey: a whole API key pasted as the key to
// revoke, its id damaged, is refused (400) without repeating it, secret
// and all, in the page; a key id that is one but not the app's is named (404).
func TestRevokeKeyNeverEchoesAKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		var app org.App
		var key string
		err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			app, key, err = org.CreateApp(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"},
				org.NewApp{Name: "户籍核验系统", DepartmentID: f.depts["公安分局"].ID, Scopes: []string{"catalog.read"}}, f.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		secret := strings.SplitN(key, "_", 3)[2]
		c := f.client(t)
		token := c.login("police.admin")
		revoke := func(keyID string) response {
			return c.post(fmt.Sprintf("/apps/%d/keys/%s/revoke", app.ID, url.PathEscape(keyID)), url.Values{"csrf_token": {token}})
		}
		for _, damaged := range []string{"htk_" + strings.ToUpper(app.Keys[0].ID) + "_" + secret, "htk_" + app.Keys[0].ID[1:] + "_" + secret} {
			r := revoke(damaged)
			wantStatus(t, "a damaged key", r, http.StatusBadRequest)
			wantBody(t, "a damaged key", r, "不是有效的密钥编号")
			wantNoBody(t, "a damaged key", r, secret)
		}
		r := revoke("0123456789ab")
		wantStatus(t, "another key id", r, http.StatusNotFound)
		wantBody(t, "another key id", r, "该应用没有此密钥：0123456789ab")
	})
}
