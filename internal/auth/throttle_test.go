package auth_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/reqlog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testclock"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// throttleHarness is a middleware under test in front of a handler where
// POST /login logs in (as the console and the API do, whatever key the
// request carries) and any other request answers 200 with a principal,
// 403 without; the client's address is X-Addr's, as a trusted proxy's
// would be, and its request ID X-Request-ID's (req-1, req-2 … in the
// order sent), as the server's request log gives it (reqlog). It seeds
// the account clerk (password Battery-Staple-7) and an app whose key good
// is. The Authenticator logs in JSON to log.
type throttleHarness struct {
	t     *testing.T
	db    *sqldb.DB
	clock *testclock.Clock
	authn *auth.Authenticator
	url   string
	good  string
	log   *testlog.Buffer
	sent  int // requests sent: the last one's ID is req-sent
}

// throttleAnswer is what a request was answered: its status,
// Retry-After, the session cookie it set and the error code.
type throttleAnswer struct {
	status     int
	retryAfter string
	cookie     *http.Cookie
	code       string
}

// badKey is a key of no app.
const badKey = "Bearer htk_abcdef012345_" + "wrongwrongwrongwrongwrongwrongwrongwrongwro"

func newThrottleHarness(t *testing.T, db *sqldb.DB) *throttleHarness {
	t.Helper()
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
	log := &testlog.Buffer{}
	authn := &auth.Authenticator{DB: db, Log: slog.New(slog.NewJSONHandler(log, nil)), Now: clock.Now}
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
		mw.ServeHTTP(w, r.WithContext(reqlog.With(r.Context(), &reqlog.Entry{ID: r.Header.Get("X-Request-ID")})))
	}))
	t.Cleanup(srv.Close)
	return &throttleHarness{t: t, db: db, clock: clock, authn: authn, url: srv.URL, good: "Bearer " + key, log: log}
}

func (h *throttleHarness) send(addr, method, path, authorization string, form url.Values, cookie *http.Cookie) throttleAnswer {
	h.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, h.url+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("X-Addr", addr)
	h.sent++
	req.Header.Set("X-Request-ID", "req-"+strconv.Itoa(h.sent))
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
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := throttleAnswer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), code: strings.TrimSpace(string(b))}
	for _, c := range resp.Cookies() {
		if c.Name == auth.SessionCookie {
			a.cookie = c
		}
	}
	return a
}

// key sends a request with the API key authorization from addr.
func (h *throttleHarness) key(addr, authorization string) throttleAnswer {
	h.t.Helper()
	return h.send(addr, "GET", "/api/v1/catalog/entries", authorization, nil, nil)
}

// login logs in from addr, with the API key authorization when not "".
func (h *throttleHarness) login(addr, username, pw, authorization string) throttleAnswer {
	h.t.Helper()
	return h.send(addr, "POST", "/login", authorization, url.Values{"username": {username}, "password": {pw}}, nil)
}

// rows counts the audit rows of action.
func (h *throttleHarness) rows(action string) int {
	h.t.Helper()
	var n int
	if err := h.db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// throttleReasons are the reasons of the auth.throttle rows, oldest
// first, with the object (the address) each names.
func (h *throttleHarness) throttleReasons() []string {
	h.t.Helper()
	rs, err := h.db.Read().QueryContext(context.Background(), `SELECT object_id, detail FROM audit_log WHERE action = 'auth.throttle' ORDER BY seq`)
	if err != nil {
		h.t.Fatal(err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var obj, detail string
		if err := rs.Scan(&obj, &detail); err != nil {
			h.t.Fatal(err)
		}
		var d map[string]string
		if err := json.Unmarshal([]byte(detail), &d); err != nil {
			h.t.Fatal(err)
		}
		out = append(out, obj+" "+d["reason"])
	}
	if err := rs.Err(); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// wantStatus checks an answer's status and, for a 429, its Retry-After
// and code.
func wantStatus(t *testing.T, what string, got throttleAnswer, status int, retryAfter time.Duration) {
	t.Helper()
	if got.status != status {
		t.Errorf("%s: %d %s, want %d", what, got.status, got.code, status)
		return
	}
	if status == http.StatusTooManyRequests {
		if want := strconv.Itoa(int(retryAfter / time.Second)); got.retryAfter != want || got.code != "too_many_failures" {
			t.Errorf("%s: Retry-After %q %s, want %s too_many_failures", what, got.retryAfter, got.code, want)
		}
	}
}

// TestKeyFailuresThrottled: FailureLimit refused API keys from one
// client address within FailureWindow throttle its keys, written once as
// an auth.throttle row (reason key_failures), where 300 bad keys wrote
// 300 auth.key rows. While throttled, a failed key from it is answered
// 429 too_many_failures with Retry-After and writes no row — the
// flood protection — but a valid key from it still passes and a staff
// login from it is answered as ever, the right password 200 and a wrong
// one 401 audited: departments reach the platform through shared egress
// addresses, and one misconfigured system retrying a revoked key must
// not lock out every other app and person behind its address (it did:
// every key and login was refused). Other addresses (an IPv6 client by
// its /64) are unaffected; once the window has passed, a failed key is
// audited again. On both engines.
func TestKeyFailuresThrottled(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newThrottleHarness(t, db)
		const a, b = "198.51.100.7", "198.51.100.8"
		for i := range auth.FailureLimit {
			wantStatus(t, "bad key "+strconv.Itoa(i+1), h.key(a, badKey), http.StatusUnauthorized, 0)
		}
		keyRows, loginRows := h.rows("auth.key"), h.rows("auth.login")
		if keyRows != auth.FailureLimit || !slices.Equal(h.throttleReasons(), []string{a + " key_failures"}) {
			t.Errorf("%d auth.key rows, auth.throttle %q; want %d and one of reason key_failures", keyRows,
				h.throttleReasons(), auth.FailureLimit)
		}
		h.clock.Add(time.Minute)
		wait := auth.FailureWindow - time.Minute
		for i := range 3 {
			wantStatus(t, "a bad key while throttled "+strconv.Itoa(i+1), h.key(a, badKey), http.StatusTooManyRequests, wait)
		}
		wantStatus(t, "a valid key while keys are throttled", h.key(a, h.good), http.StatusOK, 0)
		right := h.login(a, "clerk", "Battery-Staple-7", "")
		wantStatus(t, "the right login while keys are throttled", right, http.StatusOK, 0)
		if right.cookie == nil {
			t.Error("the right login while keys are throttled opened no session")
		}
		wantStatus(t, "a wrong login while keys are throttled", h.login(a, "clerk", "Wrong-Horse-9", ""), http.StatusUnauthorized, 0)
		if h.rows("auth.key") != keyRows || len(h.throttleReasons()) != 1 {
			t.Errorf("bad keys while throttled wrote rows: %d auth.key, %d auth.throttle; want %d and 1",
				h.rows("auth.key"), len(h.throttleReasons()), keyRows)
		}
		if h.rows("auth.login") != loginRows+2 {
			t.Errorf("logins while keys are throttled: %d auth.login rows, want 2", h.rows("auth.login")-loginRows)
		}
		wantStatus(t, "a bad key from another address", h.key(b, badKey), http.StatusUnauthorized, 0)
		// An IPv6 client counts by its /64.
		for i := range auth.FailureLimit {
			h.key("2001:db8:2::"+strconv.FormatInt(int64(i+1), 16), badKey)
		}
		wantStatus(t, "a bad key from a throttled /64", h.key("2001:db8:2::ffff", badKey), http.StatusTooManyRequests, auth.FailureWindow)
		wantStatus(t, "a valid key from a throttled /64", h.key("2001:db8:2::ffff", h.good), http.StatusOK, 0)
		wantStatus(t, "a bad key from another /64", h.key("2001:db8:3::1", badKey), http.StatusUnauthorized, 0)
		h.clock.Add(auth.FailureWindow)
		keyRows = h.rows("auth.key")
		wantStatus(t, "a bad key after the window", h.key(a, badKey), http.StatusUnauthorized, 0)
		if h.rows("auth.key") != keyRows+1 {
			t.Error("a bad key after the window was not audited")
		}
		// Failures further apart than the window do not add up.
		for i := range auth.FailureLimit - 1 {
			h.key(b, badKey)
			if i == 0 {
				h.clock.Add(auth.FailureWindow / 2)
			}
		}
		h.clock.Add(auth.FailureWindow / 2)
		h.key(b, badKey)
		wantStatus(t, "failures spread over more than the window", h.key(b, badKey), http.StatusUnauthorized, 0)
	})
}

// TestLoginFailuresThrottled: failed logins count per client address
// apart from failed keys. FailureLimit within FailureWindow throttle the
// address's logins, written once as an auth.throttle row (reason
// login_failures): while throttled, every login from it — the right
// password too, and one made by a request carrying a valid key — is
// refused unchecked and unaudited, 429 too_many_failures with
// Retry-After, so that a spray of usernames stops; but a valid key from
// it is answered 200 (it was 429), a bad key 401 audited, and a session
// already open goes on. Failed keys and logins do not add up: after
// FailureLimit - 1 of each, the right login and a bad key are answered
// as ever. On both engines.
func TestLoginFailuresThrottled(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newThrottleHarness(t, db)
		const a, b, c = "198.51.100.7", "198.51.100.8", "198.51.100.9"
		session := h.login(a, "clerk", "Battery-Staple-7", "").cookie
		if session == nil {
			t.Fatal("no session")
		}
		logins := h.rows("auth.login")
		for i := range auth.FailureLimit {
			wantStatus(t, "failed login "+strconv.Itoa(i+1), h.login(a, "spray"+strconv.Itoa(i), "Battery-Staple-7", ""), http.StatusUnauthorized, 0)
		}
		if n := h.rows("auth.login") - logins; n != auth.FailureLimit || !slices.Equal(h.throttleReasons(), []string{a + " login_failures"}) {
			t.Errorf("%d auth.login rows, auth.throttle %q; want %d and one of reason login_failures", n, h.throttleReasons(), auth.FailureLimit)
		}
		h.clock.Add(time.Minute)
		wait := auth.FailureWindow - time.Minute
		logins = h.rows("auth.login")
		wantStatus(t, "the right login while throttled", h.login(a, "clerk", "Battery-Staple-7", ""), http.StatusTooManyRequests, wait)
		wantStatus(t, "a wrong login while throttled", h.login(a, "clerk", "Wrong-Horse-9", ""), http.StatusTooManyRequests, wait)
		wantStatus(t, "the right login with a valid key while throttled", h.login(a, "clerk", "Battery-Staple-7", h.good),
			http.StatusTooManyRequests, wait)
		if h.rows("auth.login") != logins {
			t.Errorf("logins while throttled were audited: %d rows", h.rows("auth.login")-logins)
		}
		wantStatus(t, "a valid key while logins are throttled", h.key(a, h.good), http.StatusOK, 0)
		keyRows := h.rows("auth.key")
		wantStatus(t, "a bad key while logins are throttled", h.key(a, badKey), http.StatusUnauthorized, 0)
		if h.rows("auth.key") != keyRows+1 {
			t.Error("a bad key while logins are throttled was not audited")
		}
		wantStatus(t, "an open session while throttled", h.send(a, "GET", "/records", "", nil, session), http.StatusOK, 0)
		wantStatus(t, "the right login from another address", h.login(b, "clerk", "Battery-Staple-7", ""), http.StatusOK, 0)
		h.clock.Add(auth.FailureWindow)
		wantStatus(t, "the right login after the window", h.login(a, "clerk", "Battery-Staple-7", ""), http.StatusOK, 0)
		// Failed keys and failed logins are counted apart.
		for i := range auth.FailureLimit - 1 {
			h.key(c, badKey)
			h.login(c, "spray"+strconv.Itoa(i), "Battery-Staple-7", "")
		}
		wantStatus(t, "the right login after as many failed keys and logins", h.login(c, "clerk", "Battery-Staple-7", ""), http.StatusOK, 0)
		wantStatus(t, "a bad key after as many failed keys and logins", h.key(c, badKey), http.StatusUnauthorized, 0)
		// That was the address's FailureLimit-th failed key.
		if want := []string{a + " login_failures", c + " key_failures"}; !slices.Equal(h.throttleReasons(), want) {
			t.Errorf("auth.throttle rows %q, want %q", h.throttleReasons(), want)
		}
	})
}

// TestThrottleAfterStepBack: an address throttled for failed logins and
// failed keys is throttled for FailureWindow of the monotonic clock
// (Authenticator.Monotonic), whether the wall clock (Now) was stepped
// back an hour meanwhile, where the throttle lasted the window plus the
// step, or forward an hour, where it would end at the step. On both
// engines.
func TestThrottleAfterStepBack(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newThrottleHarness(t, db)
		mono := testclock.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		h.authn.Monotonic = mono.Now
		const a, b = "198.51.100.7", "198.51.100.8"
		for i := range auth.FailureLimit {
			h.login(a, "spray"+strconv.Itoa(i), "Battery-Staple-7", "")
			h.key(a, badKey)
		}
		wantStatus(t, "the right login while throttled", h.login(a, "clerk", "Battery-Staple-7", ""), http.StatusTooManyRequests,
			auth.FailureWindow)
		wantStatus(t, "a bad key while throttled", h.key(a, badKey), http.StatusTooManyRequests, auth.FailureWindow)
		h.clock.Add(-time.Hour)
		mono.Add(auth.FailureWindow + time.Minute)
		wantStatus(t, "the right login after the window, the wall clock stepped back", h.login(a, "clerk", "Battery-Staple-7", ""),
			http.StatusOK, 0)
		wantStatus(t, "a bad key after the window, the wall clock stepped back", h.key(a, badKey), http.StatusUnauthorized, 0)

		for i := range auth.FailureLimit {
			h.login(b, "spray"+strconv.Itoa(i), "Battery-Staple-7", "")
			h.key(b, badKey)
		}
		h.clock.Add(time.Hour)
		mono.Add(time.Minute)
		wantStatus(t, "the right login within the window, the wall clock stepped forward", h.login(b, "clerk", "Battery-Staple-7", ""),
			http.StatusTooManyRequests, auth.FailureWindow-time.Minute)
		wantStatus(t, "a bad key within the window, the wall clock stepped forward", h.key(b, badKey), http.StatusTooManyRequests,
			auth.FailureWindow-time.Minute)
	})
}
