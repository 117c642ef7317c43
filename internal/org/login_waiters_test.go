package org_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLoginWaitersBounded: of 2 × FailureLimit + 5 right logins at once
// from one address, their hashes held, FailureLimit are admitted in
// flight, MaxLoginWaiters wait for a place, and the 5 beyond are refused
// at once (while the hashes are still held) 429 login_busy with
// Retry-After, unchecked, without an auth.login row; the others all log
// in once the hashes run, and the address is not throttled. Before
// 3c4e602, every login over the bound waited, a goroutine each for as
// long as its client stayed. The queue filling is told once for the
// burst, not once per login refused: one WARN line with the address and
// one auth.throttle row of reason login_busy. Before, the 5 were refused
// too_many_failures, the code of an address throttled for failed logins
// (which TestLoginsInFlightThrottled keeps), with no line and no row. On
// both engines.
func TestLoginWaitersBounded(t *testing.T) {
	eachUnhurried(t, func(t *testing.T, db *sqldb.DB) {
		_, users := seed(t, db)
		var logged syncBuffer
		login := throttledLoginsLogged(t, db, slog.New(slog.NewJSONHandler(&logged, nil)))
		const addr, surplus = "198.51.100.12", 5
		rows := func() int {
			var n int
			if err := db.Read().QueryRowContext(context.Background(),
				`SELECT count(*) FROM audit_log WHERE action = 'auth.login'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := rows()
		n := auth.FailureLimit + auth.MaxLoginWaiters + surplus
		hold := holdHashes(t)
		answers := make(chan *httptest.ResponseRecorder, n)
		for range n {
			go func() {
				w := login(context.Background(), addr, users[org.Reviewer].Username, password)
				if w.Code == http.StatusTooManyRequests {
					hold.ended()
				}
				answers <- w
			}()
		}
		// Every login hashes, waits for a slot or to be admitted, or was
		// refused: with the hashes held, only those refused have ended.
		hold.arrived(n)
		hold.mu.Lock()
		refused := hold.end
		hold.mu.Unlock()
		if refused != surplus {
			t.Errorf("%d logins refused while those in flight were held, want %d", refused, surplus)
		}
		hold.release()
		counts := map[int]int{}
		for range n {
			w := <-answers
			counts[w.Code]++
			if w.Code == http.StatusTooManyRequests &&
				(w.Header().Get("Retry-After") != "10" || strings.TrimSpace(w.Body.String()) != "login_busy") {
				t.Errorf("refused %q, Retry-After %q; want login_busy with Retry-After 10", w.Body, w.Header().Get("Retry-After"))
			}
		}
		if counts[http.StatusOK] != n-surplus || counts[http.StatusTooManyRequests] != surplus {
			t.Errorf("answers %v; want %d × 200 and %d × 429", counts, n-surplus, surplus)
		}
		if got := rows() - before; got != n-surplus {
			t.Errorf("%d auth.login rows, want %d, one per login checked", got, n-surplus)
		}
		var warned []string
		for l := range strings.Lines(logged.String()) {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("log line %q: %v", l, err)
			}
			if m["level"] == "WARN" {
				warned = append(warned, fmt.Sprint(m["msg"], " ", m["address"], " ", m["waiting"]))
			}
		}
		if want := []string{"client address refused logins: too many waiting " + addr + " " + strconv.Itoa(auth.MaxLoginWaiters)}; !slices.Equal(warned, want) {
			t.Errorf("warnings logged %q, want %q", warned, want)
		}
		var reasons []string
		rs, err := db.Read().QueryContext(context.Background(), `SELECT object_id, detail FROM audit_log WHERE action = 'auth.throttle' ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		for rs.Next() {
			var object, detail string
			if err := rs.Scan(&object, &detail); err != nil {
				t.Fatal(err)
			}
			var d map[string]string
			if err := json.Unmarshal([]byte(detail), &d); err != nil {
				t.Fatal(err)
			}
			reasons = append(reasons, object+" "+d["reason"]+" "+d["waiting"])
		}
		if err := rs.Err(); err != nil {
			t.Fatal(err)
		}
		if want := []string{addr + " login_busy " + strconv.Itoa(auth.MaxLoginWaiters)}; !slices.Equal(reasons, want) {
			t.Errorf("auth.throttle rows %q, want %q", reasons, want)
		}
		if w := login(context.Background(), addr, users[org.Reviewer].Username, password); w.Code != http.StatusOK {
			t.Errorf("a right login after: %d %q; want 200, the address not throttled", w.Code, w.Body)
		}
	})
}

// loginStepper has every login stop once its password is checked until
// the test lets it go on, and counts the waits of logins to be admitted.
type loginStepper struct {
	checked, next, done chan struct{}
	mu                  sync.Mutex
	cond                *sync.Cond
	waits               int
}

func stepLogins(t *testing.T) *loginStepper {
	s := &loginStepper{checked: make(chan struct{}), next: make(chan struct{}), done: make(chan struct{})}
	s.cond = sync.NewCond(&s.mu)
	org.SetLoginChecked(t, func() {
		select {
		case s.checked <- struct{}{}:
		case <-s.done:
			return
		}
		select {
		case <-s.next:
		case <-s.done:
		}
	})
	org.SetAdmitWaits(t, func() {
		s.mu.Lock()
		s.waits++
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	t.Cleanup(func() { close(s.done) })
	return s
}

// waited returns once logins have waited to be admitted n times.
func (s *loginStepper) waited(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.waits < n {
		s.cond.Wait()
	}
}

// answered is the answer to the login the test sent ith.
type answered struct {
	i int
	w *httptest.ResponseRecorder
}

// onePlace fails FailureLimit - 1 logins from addr, leaving it one place
// in flight, has the logins after it stop once checked (stepLogins), and
// sends a right login, which takes the place and is held; it answers on
// the channel returned as login -1.
func onePlace(t *testing.T, login loginThrough, addr, username string, capacity int) (*loginStepper, chan answered) {
	t.Helper()
	for i := range auth.FailureLimit - 1 {
		if w := login(context.Background(), addr, "spray"+strconv.Itoa(i), password); w.Code != http.StatusUnauthorized {
			t.Fatalf("wrong login %d: %d %s", i+1, w.Code, w.Body)
		}
	}
	s := stepLogins(t)
	answers := make(chan answered, capacity+1)
	go func() { answers <- answered{-1, login(context.Background(), addr, username, password)} }()
	<-s.checked
	return s, answers
}

// admittedInTurn lets the login held go on, and then each login admitted
// after it in turn, one place in flight freed at a time, until want
// answers have come, and returns who was answered, in order: only the
// login let go can answer, and the one admitted in its place is held next.
func admittedInTurn(t *testing.T, s *loginStepper, answers <-chan answered, want int) []int {
	t.Helper()
	var order []int
	for range want {
		s.next <- struct{}{}
		a := <-answers
		if a.w.Code != http.StatusOK {
			t.Errorf("login %d: %d %q", a.i, a.w.Code, a.w.Body)
		}
		order = append(order, a.i)
		if len(order) < want {
			<-s.checked
		}
	}
	return order
}

// TestLoginWaitersFirstInFirstOut: with the address's one place in flight
// taken, logins sent one after another wait, and are admitted in the
// order they came as places free, one per place. Before, every end of a
// login in flight woke them all, and whichever asked first took the
// place, so that one could be passed over for as long as others came.
// On both engines.
func TestLoginWaitersFirstInFirstOut(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		_, users := seed(t, db)
		login := throttledLogins(t, db)
		const addr, n = "198.51.100.13", 6
		s, answers := onePlace(t, login, addr, users[org.Reviewer].Username, n)
		for i := range n {
			go func() {
				answers <- answered{i, login(context.Background(), addr, users[org.Reviewer].Username, password)}
			}()
			s.waited(i + 1)
		}
		order := admittedInTurn(t, s, answers, n+1)
		if want := []int{-1, 0, 1, 2, 3, 4, 5}; !slices.Equal(order, want) {
			t.Errorf("answered in the order %v, want %v", order, want)
		}
	})
}

// TestLoginWaiterLeft: a login waiting for a place whose client leaves
// is answered at once, neither logged in nor refused 429, and the one
// after it takes the next place freed, the others following in order:
// its leaving neither strands them nor is given their place. On both
// engines.
func TestLoginWaiterLeft(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		_, users := seed(t, db)
		login := throttledLogins(t, db)
		const addr, n = "198.51.100.14", 6
		s, answers := onePlace(t, login, addr, users[org.Reviewer].Username, n)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		for i := range n {
			c := context.Background()
			if i == 0 {
				c = ctx
			}
			go func() { answers <- answered{i, login(c, addr, users[org.Reviewer].Username, password)} }()
			s.waited(i + 1)
		}
		cancel()
		if a := <-answers; a.i != 0 || a.w.Code == http.StatusOK || a.w.Code == http.StatusTooManyRequests {
			t.Fatalf("login %d answered %d %q; want the one whose client left, neither logged in nor refused 429", a.i, a.w.Code, a.w.Body)
		}
		order := admittedInTurn(t, s, answers, n)
		if want := []int{-1, 1, 2, 3, 4, 5}; !slices.Equal(order, want) {
			t.Errorf("answered in the order %v, want %v", order, want)
		}
	})
}

// syncBuffer is a bytes.Buffer the logins of a test write their log to
// at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
