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
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLookupsBoundedStalledServer: on a PostgreSQL server that has
// stopped answering (its connections held, as under SIGSTOP), a request's
// API key lookup and session lookup fail it as the database unavailable
// (database_unavailable, 503) within the database's wait bound, where the
// request waited for as long as the server was stopped.
func TestLookupsBoundedStalledServer(t *testing.T) {
	dsn, stall := sqldbtest.Stalling(t, sqldbtest.PostgresDSN(t))
	db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{WaitTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
	const pw = "Correct-Horse-9"
	var key string
	var u org.User
	// The steps before the stall, tried again while they outlast the short
	// bound with nothing held, as on a loaded machine.
	err = sqldbtest.RetryWaits(func() error {
		return db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, by, &org.Region{Code: "440000", Name: "广东省", Level: org.Province}, now); err != nil {
				return err
			}
			d := org.Department{Name: "南海区民政局", USCC: "11440605MB2C9235XX", RegionCode: "440000"}
			if err := org.CreateDepartment(ctx, tx, by, &d, now); err != nil {
				return err
			}
			var err error
			if _, key, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "查询", DepartmentID: d.ID, Scopes: []string{"catalog.read"}}, now); err != nil {
				return err
			}
			u, err = orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: "reader", DisplayName: "读者", DepartmentID: d.ID,
				Role: org.Reviewer, Password: pw}, now)
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	var s org.Session
	if err := sqldbtest.RetryWaits(func() (err error) {
		s, _, err = org.Login(ctx, db, u.Username, pw, org.Client{RemoteAddr: "10.1.2.3"}, now)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	failed := make(chan error, 1)
	authn := &auth.Authenticator{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }}
	srv := httptest.NewServer(authn.Middleware(func(w http.ResponseWriter, r *http.Request, err error) {
		failed <- err
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		failed <- nil
	})))
	defer srv.Close()

	stall.Store(true)
	defer stall.Store(false)
	for name, set := range map[string]func(*http.Request){
		"an API key": func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+key) },
		"a session":  func(r *http.Request) { r.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: s.Token}) },
	} {
		req, err := http.NewRequest("GET", srv.URL+"/api/v1/catalog", nil)
		if err != nil {
			t.Fatal(err)
		}
		set(req)
		go func() {
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
		select {
		case err := <-failed:
			if u := sqldb.Unavailable(err); u == nil || u.Code != "database_unavailable" {
				t.Errorf("%s looked up while the server does not answer: %v, want database_unavailable", name, err)
			}
		case <-time.After(8 * time.Second):
			stall.Store(false)
			t.Fatalf("%s's lookup still waits for a server that does not answer, past its bound", name)
		}
	}
}
