package auth_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testclock"
)

// TestFailedAuthenticationThrottled: refused API keys and failed logins
// from one client address count together; the FailureLimit-th within
// FailureWindow throttles the address, written once as an auth.throttle
// row, where 300 bad keys wrote 300 auth.key rows and 12 usernames were
// each tried from one address. While throttled, every attempt to
// authenticate from it — a bad key, a valid key, a login with the right
// password — is refused, 429 too_many_failures with Retry-After, unchecked
// and unaudited; a session already open goes on, and other addresses
// (an IPv6 client by its /64) are unaffected. Once the window has passed,
// the address authenticates again. On both engines.
func TestFailedAuthenticationThrottled(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		clock := testclock.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
		var key string
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, by, &org.Region{Code: "440000", Name: "广东省", Level: org.Province}, clock.Now()); err != nil {
				return err
			}
			d := org.Department{Name: "南海区民政局", USCC: "11440605MB2C9235XX", RegionCode: "440000"}
			if err := org.CreateDepartment(ctx, tx, by, &d, clock.Now()); err != nil {
				return err
			}
			if _, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: "clerk", DisplayName: "张三", DepartmentID: d.ID,
				Role: org.Reviewer, Password: "Battery-Staple-7"}, clock.Now()); err != nil {
				return err
			}
			var err error
			_, key, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "查询", DepartmentID: d.ID, Scopes: []string{"catalog.read"}}, clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		authn := &auth.Authenticator{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clock.Now}
		// POST /login logs in (as the console and the API do); any
		// other request answers 200 with a principal, 403 without. The
		// client's address is X-Addr's, as a trusted proxy's would be.
		app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/login" {
				s, _, err := org.Login(r.Context(), db, r.PostFormValue("username"), r.PostFormValue("password"),
					org.Client{RemoteAddr: auth.RemoteAddr(r)}, clock.Now())
				if err != nil {
					http.Error(w, errs.As(err).Code, errs.KindOf(err).HTTPStatus())
					return
				}
				authn.SetSessionCookie(w, s)
				return
			}
			if auth.From(r.Context()) == nil {
				http.Error(w, "anonymous", http.StatusForbidden)
			}
		})
		mw := authn.Middleware(func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, errs.As(err).Code, errs.KindOf(err).HTTPStatus())
		})(app)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.RemoteAddr = r.Header.Get("X-Addr") + ":1234"
			mw.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		type answer struct {
			status     int
			retryAfter string
			cookie     *http.Cookie
		}
		send := func(addr, method, path, authorization string, form url.Values, cookie *http.Cookie) answer {
			t.Helper()
			var body io.Reader
			if form != nil {
				body = strings.NewReader(form.Encode())
			}
			req, err := http.NewRequest(method, srv.URL+path, body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Addr", addr)
			if form != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if authorization != "" {
				req.Header.Set("Authorization", authorization)
			}
			if cookie != nil {
				req.AddCookie(cookie)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			a := answer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
			for _, c := range resp.Cookies() {
				if c.Name == auth.SessionCookie {
					a.cookie = c
				}
			}
			return a
		}
		bad := "Bearer htk_abcdef012345_" + "wrongwrongwrongwrongwrongwrongwrongwrongwro"
		good := "Bearer " + key
		login := func(addr, username, pw string) answer {
			return send(addr, "POST", "/login", "", url.Values{"username": {username}, "password": {pw}}, nil)
		}
		rows := func(action string) int {
			t.Helper()
			var n int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		const a, b = "198.51.100.7", "198.51.100.8"
		session := login(a, "clerk", "Battery-Staple-7").cookie
		if session == nil {
			t.Fatal("no session")
		}
		logins := rows("auth.login")
		for i := range auth.FailureLimit {
			var got answer
			if i%3 == 0 {
				got = login(a, "spray"+strconv.Itoa(i), "Battery-Staple-7")
			} else {
				got = send(a, "GET", "/api/v1/catalog/entries", bad, nil, nil)
			}
			if got.status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d, want 401", i+1, got.status)
			}
		}
		keyRows, loginRows := rows("auth.key"), rows("auth.login")
		if keyRows != auth.FailureLimit*2/3 || loginRows != logins+auth.FailureLimit/3 || rows("auth.throttle") != 1 {
			t.Errorf("rows: %d auth.key, %d auth.login, %d auth.throttle; want %d, %d, 1", keyRows, loginRows-logins,
				rows("auth.throttle"), auth.FailureLimit*2/3, auth.FailureLimit/3)
		}
		clock.Add(time.Minute)
		for what, got := range map[string]answer{
			"a bad key":       send(a, "GET", "/api/v1/catalog/entries", bad, nil, nil),
			"a valid key":     send(a, "GET", "/api/v1/catalog/entries", good, nil, nil),
			"the right login": login(a, "clerk", "Battery-Staple-7"),
			"a wrong login":   login(a, "clerk", "Wrong-Horse-9"),
		} {
			if got.status != http.StatusTooManyRequests || got.retryAfter != strconv.Itoa(int((auth.FailureWindow-time.Minute)/time.Second)) {
				t.Errorf("%s while throttled: %d Retry-After %q, want 429 and %d", what, got.status, got.retryAfter,
					int((auth.FailureWindow-time.Minute)/time.Second))
			}
		}
		if rows("auth.key") != keyRows || rows("auth.login") != loginRows || rows("auth.throttle") != 1 {
			t.Errorf("attempts while throttled were audited")
		}
		if got := send(a, "GET", "/records", "", nil, session); got.status != http.StatusOK {
			t.Errorf("an open session while throttled: %d, want 200", got.status)
		}
		for _, addr := range []string{b, "2001:db8:1::1"} {
			if got := send(addr, "GET", "/api/v1/catalog/entries", good, nil, nil); got.status != http.StatusOK {
				t.Errorf("a valid key from %s: %d, want 200", addr, got.status)
			}
		}
		// An IPv6 client counts by its /64.
		for i := range auth.FailureLimit {
			send("2001:db8:2::"+strconv.FormatInt(int64(i+1), 16), "GET", "/api/v1/catalog/entries", bad, nil, nil)
		}
		if got := send("2001:db8:2::ffff", "GET", "/api/v1/catalog/entries", good, nil, nil); got.status != http.StatusTooManyRequests {
			t.Errorf("a valid key from a throttled /64: %d, want 429", got.status)
		}
		if got := send("2001:db8:3::1", "GET", "/api/v1/catalog/entries", good, nil, nil); got.status != http.StatusOK {
			t.Errorf("a valid key from another /64: %d, want 200", got.status)
		}
		clock.Add(auth.FailureWindow)
		if got := send(a, "GET", "/api/v1/catalog/entries", good, nil, nil); got.status != http.StatusOK {
			t.Errorf("a valid key after the window: %d, want 200", got.status)
		}
		if got := login(a, "clerk", "Battery-Staple-7"); got.status != http.StatusOK {
			t.Errorf("the right login after the window: %d, want 200", got.status)
		}
		// Failures further apart than the window do not add up.
		for i := range auth.FailureLimit - 1 {
			send(b, "GET", "/api/v1/catalog/entries", bad, nil, nil)
			if i == 0 {
				clock.Add(auth.FailureWindow / 2)
			}
		}
		clock.Add(auth.FailureWindow / 2)
		send(b, "GET", "/api/v1/catalog/entries", bad, nil, nil)
		if got := send(b, "GET", "/api/v1/catalog/entries", good, nil, nil); got.status != http.StatusOK {
			t.Errorf("failures spread over more than the window: %d, want 200", got.status)
		}
	})
}
