package auth_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// keyServer creates an app with a key and serves the middleware, which
// answers a refusal with its status (401); a request it lets through is
// 200 with a principal, 403 without one.
func keyServer(t *testing.T, db *sqldb.DB) (*httptest.Server, string) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
	var key string
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		if err := org.CreateRegion(ctx, tx, by, &org.Region{Code: "440000", Name: "广东省", Level: org.Province}, now); err != nil {
			return err
		}
		d := org.Department{Name: "南海区民政局", USCC: "11440605MB2C9235XX", RegionCode: "440000"}
		if err := org.CreateDepartment(ctx, tx, by, &d, now); err != nil {
			return err
		}
		_, k, err := org.CreateApp(ctx, tx, by, org.NewApp{Name: "查询", DepartmentID: d.ID, Scopes: []string{"catalog.read"}}, now)
		key = k
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	authn := &auth.Authenticator{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }}
	srv := httptest.NewServer(authn.Middleware(func(w http.ResponseWriter, r *http.Request, err error) {
		status := http.StatusInternalServerError
		if e := errs.As(err); e != nil && e.Kind == errs.Unauthenticated {
			status = http.StatusUnauthorized
		}
		http.Error(w, err.Error(), status)
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if auth.From(r.Context()) == nil {
			http.Error(w, "anonymous", http.StatusForbidden)
		}
	})))
	t.Cleanup(srv.Close)
	return srv, key
}

// call sends authorization to srv's path and returns the status.
func call(t *testing.T, srv *httptest.Server, path, authorization string) int {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", authorization)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestBearerSchemeAnyCase: the Authorization scheme is read in any case
// (RFC 7235), and only Bearer is taken: another is refused under /api/
// and ignored elsewhere (a console behind a proxy doing HTTP Basic
// authentication), where it used to be refused on every path; a bearer
// key is taken on every path.
func TestBearerSchemeAnyCase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		srv, key := keyServer(t, db)
		for _, path := range []string{"/api/v1/catalog/entries", "/"} {
			for _, scheme := range []string{"Bearer", "bearer", "BEARER", "bEaReR"} {
				if got := call(t, srv, path, scheme+" "+key); got != http.StatusOK {
					t.Errorf("%s %s <key>: %d, want 200", path, scheme, got)
				}
			}
			if got := call(t, srv, path, "Bearer"); got != http.StatusUnauthorized {
				t.Errorf("%s %q: %d, want 401", path, "Bearer", got)
			}
		}
		for _, h := range []string{"Basic " + key, "Basic aW50cmFuZXQ6c2VjcmV0", "Bearer" + key, key} {
			if got := call(t, srv, "/api/v1/catalog/entries", h); got != http.StatusUnauthorized {
				t.Errorf("/api/v1/catalog/entries %q: %d, want 401", h, got)
			}
			if got := call(t, srv, "/login", h); got != http.StatusForbidden {
				t.Errorf("/login %q: %d, want 403 (let through, anonymous)", h, got)
			}
		}
	})
}

// TestMalformedKeyRefused: a key whose id is not twelve lowercase hex
// characters, as every issued one is, is refused (401) and audited as any
// refused key, on both databases: bytes that are not UTF-8 never reach
// PostgreSQL, which failed on them (500, no audit row).
func TestMalformedKeyRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		srv, _ := keyServer(t, db)
		for _, key := range []string{"htk_\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4_abc", "htk_abcdef01234_abc",
			"htk_ABCDEF012345_abc", "htk_abcdefghijkl_abc", "htk_一二三四_abc"} {
			var before, after int
			count := `SELECT count(*) FROM audit_log WHERE action = 'auth.key'`
			if err := db.Read().QueryRowContext(context.Background(), count).Scan(&before); err != nil {
				t.Fatal(err)
			}
			if got := call(t, srv, "/api/v1/catalog/entries", "Bearer "+key); got != http.StatusUnauthorized {
				t.Errorf("%q: %d, want 401", key, got)
			}
			if err := db.Read().QueryRowContext(context.Background(), count).Scan(&after); err != nil {
				t.Fatal(err)
			}
			if after != before+1 {
				t.Errorf("%q: %d auth.key rows written, want 1", key, after-before)
			}
		}
	})
}

// TestNoKeyNotAudited: an Authorization header under /api/ that presents
// no key — Bearer with nothing after it, or another scheme — is refused
// (401) without an auth.key row, as docs/design.md says; a malformed key
// after Bearer is audited (TestMalformedKeyRefused).
func TestNoKeyNotAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		srv, key := keyServer(t, db)
		count := `SELECT count(*) FROM audit_log WHERE action = 'auth.key'`
		for _, h := range []string{"Bearer", "Bearer ", "Bearer \t ", "Basic aW50cmFuZXQ6c2VjcmV0", key} {
			var before, after int
			if err := db.Read().QueryRowContext(context.Background(), count).Scan(&before); err != nil {
				t.Fatal(err)
			}
			if got := call(t, srv, "/api/v1/catalog/entries", h); got != http.StatusUnauthorized {
				t.Errorf("%q: %d, want 401", h, got)
			}
			if err := db.Read().QueryRowContext(context.Background(), count).Scan(&after); err != nil {
				t.Fatal(err)
			}
			if after != before {
				t.Errorf("%q: %d auth.key rows written, want none", h, after-before)
			}
		}
	})
}
