package org_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// loginThrough is a login of username with pw from addr through auth's
// middleware, under ctx, answered with the error's code and status as
// the API answers them (an error the database could not serve in time is
// 503 database_unavailable: sqldb.Unavailable), 500 and the error for any
// other that is not errs'.
type loginThrough func(ctx context.Context, addr, username, pw string) *httptest.ResponseRecorder

// unhurriedWait is the wait bound (sqldb.Options.WaitTimeout) of the
// databases eachUnhurried opens: no wait of a test's is meant to reach it.
const unhurriedWait = 10 * time.Minute

// eachUnhurried is sqldbtest.Each with databases whose wait bound is
// unhurriedWait rather than sqldb.WaitTimeout (15 s), for the tests that
// send tens of logins at once: their transactions queue one behind the
// other (on the account's row and the audit log's head; on SQLite, on the
// one writer), and on a loaded machine the last of 40 waited past 15 s
// and was refused database_unavailable. Those tests are of the logins'
// admission by the address's throttle (48a5e7a), not of the wait bound,
// which TestLoginLogoutBoundedWhileLocked and the server's
// TestLoginRowLockBounded test.
func eachUnhurried(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{WaitTimeout: unhurriedWait})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	})
}

func throttledLogins(t *testing.T, db *sqldb.DB) loginThrough {
	return throttledLoginsLogged(t, db, slog.New(slog.DiscardHandler))
}

// throttledLoginsLogged is throttledLogins whose middleware logs to log.
func throttledLoginsLogged(t *testing.T, db *sqldb.DB, log *slog.Logger) loginThrough {
	answer := func(w http.ResponseWriter, err error) {
		e := errs.As(err)
		if u := sqldb.Unavailable(err); u != nil {
			e = u
		}
		if e == nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.Error(w, e.Code, e.Kind.HTTPStatus())
	}
	authn := &auth.Authenticator{DB: db, Log: log, Now: func() time.Time { return t0 }}
	h := authn.Middleware(func(w http.ResponseWriter, r *http.Request, err error) {
		answer(w, err)
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _, err := org.Login(r.Context(), db, r.PostFormValue("username"), r.PostFormValue("password"),
			org.Client{RemoteAddr: auth.RemoteAddr(r)}, t0)
		if err != nil {
			answer(w, err)
		}
	}))
	return func(ctx context.Context, addr, username, pw string) *httptest.ResponseRecorder {
		r := httptest.NewRequestWithContext(ctx, "POST", "/login",
			strings.NewReader(url.Values{"username": {username}, "password": {pw}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = addr + ":1234"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
}

// TestLoginsInFlightThrottled: logins sent side by side from one address
// are counted against its limit of failed logins as they are admitted,
// before their passwords are checked. Of 40 wrong logins at once, their
// hashes held until all have arrived, exactly auth.FailureLimit are
// checked, audited and refused 401, and the rest, waiting until the
// failures throttle the address, refused 429 too_many_failures with
// Retry-After, unchecked and unaudited. All 40 were checked and audited
// before c4a2122, the throttle counting a login only once it had failed.
// A login that passes frees its place: FailureLimit + 1 right logins
// from another address one after the other all pass. On both engines.
func TestLoginsInFlightThrottled(t *testing.T) {
	eachUnhurried(t, func(t *testing.T, db *sqldb.DB) {
		_, users := seed(t, db)
		login := throttledLogins(t, db)
		ctx := context.Background()
		for i := range auth.FailureLimit + 1 {
			if w := login(ctx, "198.51.100.8", users[org.Reviewer].Username, password); w.Code != http.StatusOK {
				t.Fatalf("right login %d: %d %s", i+1, w.Code, w.Body)
			}
		}
		logins := func() int {
			var n int
			if err := db.Read().QueryRowContext(context.Background(),
				`SELECT count(*) FROM audit_log WHERE action = 'auth.login' AND outcome = 'denied'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := logins()
		const n = 40
		// Every login hashes, waits for a slot or to be admitted, or was
		// refused (before the fix).
		counts := map[int]int{}
		for _, w := range loginsAtOnce(t, login, "198.51.100.7", func(i int) string { return "spray" + strconv.Itoa(i) }, n) {
			counts[w.Code]++
			if w.Code == http.StatusTooManyRequests &&
				(w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "too_many_failures")) {
				t.Errorf("refused %q, Retry-After %q; want too_many_failures with Retry-After", w.Body, w.Header().Get("Retry-After"))
			}
		}
		if counts[http.StatusUnauthorized] != auth.FailureLimit || counts[http.StatusTooManyRequests] != n-auth.FailureLimit {
			t.Errorf("answers %v; want %d 401 and %d 429", counts, auth.FailureLimit, n-auth.FailureLimit)
		}
		if got := logins() - before; got != auth.FailureLimit {
			t.Errorf("%d denied auth.login rows, want %d", got, auth.FailureLimit)
		}
		if w := login(ctx, "198.51.100.7", users[org.Reviewer].Username, password); w.Code != http.StatusTooManyRequests ||
			w.Header().Get("Retry-After") != strconv.Itoa(int(auth.FailureWindow/time.Second)) {
			t.Errorf("the right login after: %d, Retry-After %q; want 429 throttled for the window", w.Code, w.Header().Get("Retry-After"))
		}
	})
}

// loginsAtOnce sends n logins from addr at once, the ith as the username
// user(i) with the test password, their hashes held until all have
// hashed, queued for a slot, waited to be admitted or been refused 429,
// and returns their answers, in the order they came.
func loginsAtOnce(t *testing.T, login loginThrough, addr string, user func(i int) string, n int) []*httptest.ResponseRecorder {
	t.Helper()
	hold := holdHashes(t)
	answers := make(chan *httptest.ResponseRecorder, n)
	for i := range n {
		go func() {
			w := login(context.Background(), addr, user(i), password)
			if w.Code == http.StatusTooManyRequests {
				hold.ended()
			}
			answers <- w
		}()
	}
	hold.arrived(n)
	hold.release()
	got := make([]*httptest.ResponseRecorder, n)
	for i := range got {
		got[i] = <-answers
	}
	return got
}

// rightLoginsAtOnce sends n right logins of username from addr at once, as
// loginsAtOnce does, and returns how many were answered with each status.
func rightLoginsAtOnce(t *testing.T, login loginThrough, addr, username string, n int) map[int]int {
	t.Helper()
	counts := map[int]int{}
	for _, w := range loginsAtOnce(t, login, addr, func(int) string { return username }, n) {
		counts[w.Code]++
		if w.Code != http.StatusOK {
			t.Logf("answered %d %q", w.Code, w.Body)
		}
	}
	return counts
}

// TestRightLoginsAtOnceAdmitted: right logins sent together from one
// address (an office behind one NAT at 9:00) all log in: those beyond the
// address's limit of failures and logins in flight wait until one in
// flight ends and are admitted as places free. 40 at once from an address
// with no failure, their hashes held until all have arrived, all pass,
// and so do 5 at once after 29 failures: c4a2122 refused 10 of the 40
// and 4 of the 5 429 too_many_failures, telling of failures there were
// not. On both engines.
func TestRightLoginsAtOnceAdmitted(t *testing.T) {
	eachUnhurried(t, func(t *testing.T, db *sqldb.DB) {
		_, users := seed(t, db)
		login := throttledLogins(t, db)
		if counts := rightLoginsAtOnce(t, login, "198.51.100.9", users[org.Reviewer].Username, 40); counts[http.StatusOK] != 40 {
			t.Errorf("40 right logins at once: answers %v; want 40 × 200", counts)
		}
		const addr = "198.51.100.10"
		for i := range auth.FailureLimit - 1 {
			if w := login(context.Background(), addr, "spray"+strconv.Itoa(i), password); w.Code != http.StatusUnauthorized {
				t.Fatalf("wrong login %d: %d %s", i+1, w.Code, w.Body)
			}
		}
		if counts := rightLoginsAtOnce(t, login, addr, users[org.Reviewer].Username, 5); counts[http.StatusOK] != 5 {
			t.Errorf("5 right logins at once after %d failures: answers %v; want 5 × 200", auth.FailureLimit-1, counts)
		}
	})
}

// TestLoginWaitLeft: a login waiting to be admitted, its address's limit
// full of logins in flight, stops waiting when its client leaves (its
// request's context ends), while those in flight are still held, and is
// neither refused 429 nor checked; those in flight then pass. On both
// engines, with eachUnhurried's wait bound: the 30 in flight queue on the
// account's row and the audit log's head, and at load ~38 on 2 cores 6 of
// them waited past the 15 s bound and were refused database_unavailable.
func TestLoginWaitLeft(t *testing.T) {
	eachUnhurried(t, func(t *testing.T, db *sqldb.DB) {
		_, users := seed(t, db)
		login := throttledLogins(t, db)
		const addr = "198.51.100.11"
		hold := holdHashes(t)
		answers := make(chan *httptest.ResponseRecorder, auth.FailureLimit)
		for range auth.FailureLimit {
			go func() { answers <- login(context.Background(), addr, users[org.Reviewer].Username, password) }()
		}
		hold.arrived(auth.FailureLimit)
		ctx, cancel := context.WithCancel(context.Background())
		left := make(chan *httptest.ResponseRecorder, 1)
		go func() {
			w := login(ctx, addr, users[org.Reviewer].Username, password)
			if w.Code == http.StatusTooManyRequests {
				hold.ended()
			}
			left <- w
		}()
		hold.arrived(auth.FailureLimit + 1)
		cancel()
		if w := <-left; w.Code == http.StatusOK || w.Code == http.StatusTooManyRequests {
			t.Errorf("the login whose client left: %d %q; want neither logged in nor refused 429", w.Code, w.Body)
		}
		hold.release()
		for range auth.FailureLimit {
			if w := <-answers; w.Code != http.StatusOK {
				t.Errorf("a login in flight: %d %q", w.Code, w.Body)
			}
		}
	})
}
