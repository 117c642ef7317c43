package auth_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

// TestKeyUseDoesNotWaitForTheWriter: recording a key's use is best effort;
// a request whose key is due for it is answered while another transaction
// holds the key's row (on SQLite, the one writer, as a long batch does).
func TestKeyUseDoesNotWaitForTheWriter(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
		var key string
		var keyID string
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, by, &org.Region{Code: "440000", Name: "广东省", Level: org.Province}, now); err != nil {
				return err
			}
			d := org.Department{Name: "南海区民政局", USCC: "11440605MB2C9235XX", RegionCode: "440000"}
			if err := org.CreateDepartment(ctx, tx, by, &d, now); err != nil {
				return err
			}
			app, k, err := org.CreateApp(ctx, tx, by, org.NewApp{Name: "查询", DepartmentID: d.ID, Scopes: []string{"catalog.read"}}, now)
			key, keyID = k, app.Keys[0].ID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		authn := &auth.Authenticator{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }}
		srv := httptest.NewServer(authn.Middleware(func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, err.Error(), http.StatusUnauthorized)
		})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if auth.From(r.Context()) == nil {
				http.Error(w, "anonymous", http.StatusUnauthorized)
			}
		})))
		defer srv.Close()

		held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			done <- db.Tx(ctx, func(tx *sqldb.Tx) error {
				if _, err := tx.ExecContext(ctx, `UPDATE app_keys SET last_used_at = NULL WHERE key_id = $1`, keyID); err != nil {
					return err
				}
				close(held)
				<-release
				return nil
			})
		}()
		<-held
		rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(rctx, "GET", srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		close(release)
		if err != nil {
			t.Fatalf("request while the key's row is held: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("request while the key's row is held: %d", resp.StatusCode)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}

// TestPlatformRolesNeedThePlatform: an operator's or auditor's account
// outside the platform operator's department (a row no version stores
// now) holds neither the role nor its scopes: it reviews no catalog,
// administers nothing and reads no audit log.
func TestPlatformRolesNeedThePlatform(t *testing.T) {
	for _, platform := range []bool{true, false} {
		op := &auth.Principal{User: &org.User{Role: org.Operator, Platform: platform}}
		au := &auth.Principal{User: &org.User{Role: org.Auditor, Platform: platform}}
		got := []bool{op.ReviewsCatalog(), op.HasRole(org.Operator), op.Can("admin"), op.Can("catalog.read"),
			au.HasRole(org.Auditor), au.Can("audit.read")}
		for i, g := range got {
			if g != platform {
				t.Errorf("platform %v: check %d = %v", platform, i, g)
			}
		}
	}
}
