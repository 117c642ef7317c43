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

// TestLoginsInFlightThrottled: logins sent side by side from one address
// are counted against its limit of failed logins as they are admitted,
// before their passwords are checked. Of 40 wrong logins at once, their
// hashes held until all have arrived, exactly auth.FailureLimit are
// checked, audited and refused 401, and the rest refused 429
// too_many_failures with Retry-After, unchecked and unaudited; then the
// address is throttled. All 40 were checked and audited before, the
// throttle counting a login only once it had failed. A login that passes frees its place: FailureLimit + 1 right
// logins from another address one after the other all pass. On both
// engines.
func TestLoginsInFlightThrottled(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		_, users := seed(t, db)
		authn := &auth.Authenticator{DB: db, Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return t0 }}
		h := authn.Middleware(func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, errs.As(err).Code, errs.KindOf(err).HTTPStatus())
		})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _, err := org.Login(r.Context(), db, r.PostFormValue("username"), r.PostFormValue("password"),
				org.Client{RemoteAddr: auth.RemoteAddr(r)}, t0)
			if err != nil {
				http.Error(w, errs.As(err).Code, errs.KindOf(err).HTTPStatus())
			}
		}))
		login := func(addr, username, pw string) *httptest.ResponseRecorder {
			r := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"username": {username}, "password": {pw}}.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.RemoteAddr = addr + ":1234"
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w
		}
		for i := range auth.FailureLimit + 1 {
			if w := login("198.51.100.8", users[org.Reviewer].Username, password); w.Code != http.StatusOK {
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
		hold := holdHashes(t)
		answers := make(chan *httptest.ResponseRecorder, n)
		for i := range n {
			go func() {
				w := login("198.51.100.7", "spray"+strconv.Itoa(i), password)
				if w.Code == http.StatusTooManyRequests {
					hold.ended()
				}
				answers <- w
			}()
		}
		// Every login hashes, waits for a slot or was refused unhashed.
		hold.arrived(n)
		hold.release()
		counts := map[int]int{}
		for range n {
			w := <-answers
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
		if w := login("198.51.100.7", users[org.Reviewer].Username, password); w.Code != http.StatusTooManyRequests ||
			w.Header().Get("Retry-After") != strconv.Itoa(int(auth.FailureWindow/time.Second)) {
			t.Errorf("the right login after: %d, Retry-After %q; want 429 throttled for the window", w.Code, w.Header().Get("Retry-After"))
		}
	})
}
