package auth

import (
	"cmp"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
)

// TestFailuresBounded: the addresses remembered stay within
// maxFailureAddrs however many fail; those whose window has passed go
// first, then the oldest not throttled, so that a throttled address
// stays throttled while others flood the table.
func TestFailuresBounded(t *testing.T) {
	var f failures
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for range FailureLimit {
		f.fail("198.51.100.7", now)
	}
	for i := range 3 * maxFailureAddrs {
		f.fail("10.0."+strconv.Itoa(i/256)+"."+strconv.Itoa(i%256), now.Add(time.Duration(i)*time.Millisecond))
		if len(f.by) > maxFailureAddrs {
			t.Fatalf("%d addresses remembered, want at most %d", len(f.by), maxFailureAddrs)
		}
	}
	if f.throttled("198.51.100.7", now.Add(time.Minute)) == 0 {
		t.Error("the throttled address was forgotten")
	}
	// Once the table is full again, the addresses whose windows have
	// passed are forgotten, all of them.
	later := now.Add(2 * FailureWindow)
	n := maxFailureAddrs - len(f.by) + 1
	for i := range n {
		f.fail("172.16."+strconv.Itoa(i/256)+"."+strconv.Itoa(i%256), later)
	}
	if len(f.by) > n {
		t.Errorf("%d addresses remembered, want at most the %d of the last window", len(f.by), n)
	}
	for _, tc := range []struct{ addr, key string }{
		{"198.51.100.7", "198.51.100.7"}, {"::ffff:198.51.100.7", "198.51.100.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"}, {"not an address", "not an address"},
	} {
		if got := clientKey(tc.addr); got != tc.key {
			t.Errorf("clientKey(%q) = %q, want %q", tc.addr, got, tc.key)
		}
	}
}

// TestInFlightKept: an address whose logins in flight fill its limit
// stays full while others flood the table, however long it is not
// throttled, and is freed as they end: one released gives its place to
// the first login waiting, and only to it, while one failed keeps its
// place for good.
func TestInFlightKept(t *testing.T) {
	var f failures
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const addr = "198.51.100.7"
	for i := range FailureLimit {
		if throttled, w, busy, _ := f.admit(addr, now); throttled != 0 || w != nil || busy {
			t.Fatalf("login %d in flight refused", i+1)
		}
	}
	later := now.Add(2 * FailureWindow)
	for i := range 3 * maxFailureAddrs {
		f.fail("10.0."+strconv.Itoa(i/256)+"."+strconv.Itoa(i%256), later)
	}
	throttled, first, busy, _ := f.admit(addr, later)
	if throttled != 0 || first == nil || busy {
		t.Fatalf("with its limit in flight: throttled %v, waits %v, busy %v; want to wait", throttled, first != nil, busy)
	}
	_, second, _, _ := f.admit(addr, later)
	f.release(addr)
	if !isClosed(first.ready) || !first.admitted {
		t.Error("a login released did not give its place to the first waiting")
	}
	if isClosed(second.ready) {
		t.Error("a login released woke the second waiting too")
	}
	f.fail(addr, later)
	if isClosed(second.ready) {
		t.Error("a login failed freed its place")
	}
	f.release(addr)
	if !isClosed(second.ready) || !second.admitted {
		t.Error("a second login released did not give its place to the second waiting")
	}
}

// TestWaitersThrottled: logins waiting for a place when the failures of
// those in flight reach the limit are woken, given no place, and then
// refused as throttled for the window, not admitted.
func TestWaitersThrottled(t *testing.T) {
	var f failures
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const addr = "198.51.100.7"
	for range FailureLimit {
		f.admit(addr, now)
	}
	_, w, _, _ := f.admit(addr, now)
	for range FailureLimit {
		f.fail(addr, now)
	}
	if !isClosed(w.ready) || w.admitted {
		t.Fatalf("the failures did not wake those waiting, or gave them a place (%v)", w.admitted)
	}
	if throttled, w, busy, _ := f.admit(addr, now); throttled != FailureWindow || w != nil || busy {
		t.Errorf("after %d failures: throttled %v, waits %v, busy %v; want throttled %v", FailureLimit, throttled, w != nil, busy, FailureWindow)
	}
}

// TestWaitersBounded: with its limit in flight, at most MaxLoginWaiters
// logins of an address wait; the one after them is refused at once
// (busy), and one waiting that leaves makes room for another.
func TestWaitersBounded(t *testing.T) {
	var f failures
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const addr = "198.51.100.7"
	for range FailureLimit {
		f.admit(addr, now)
	}
	var first *waiter
	for i := range MaxLoginWaiters {
		throttled, w, busy, _ := f.admit(addr, now)
		if throttled != 0 || w == nil || busy {
			t.Fatalf("login %d over the limit: throttled %v, waits %v, busy %v; want to wait", i+1, throttled, w != nil, busy)
		}
		if first == nil {
			first = w
		}
	}
	if throttled, w, busy, _ := f.admit(addr, now); throttled != 0 || w != nil || !busy {
		t.Fatalf("with %d waiting: throttled %v, waits %v, busy %v; want busy", MaxLoginWaiters, throttled, w != nil, busy)
	}
	f.leave(addr, first)
	if _, w, busy, _ := f.admit(addr, now); w == nil || busy {
		t.Errorf("one waiting left: waits %v, busy %v; want to wait", w != nil, busy)
	}
}

// TestWaitersBusyToldOnce: of the logins refused while MaxLoginWaiters of
// an address wait, only the first is told to be the first (to be logged
// and audited once), however many follow and however the queue moves
// while it stays full or not empty; once the queue has emptied, the next
// time it fills is told again. Each refused is answered 429 login_busy
// with Retry-After 10, not too_many_failures, the code of an address
// throttled for failed logins.
func TestWaitersBusyToldOnce(t *testing.T) {
	var f failures
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const addr = "198.51.100.7"
	for range FailureLimit {
		f.admit(addr, now)
	}
	fill := func() *waiter {
		var first *waiter
		for range MaxLoginWaiters - len(f.by[addr].waiting) {
			_, w, _, _ := f.admit(addr, now)
			first = cmp.Or(first, w)
		}
		return first
	}
	first := fill()
	var told []bool
	for range 3 {
		_, _, busy, firstBusy := f.admit(addr, now)
		told = append(told, busy && firstBusy)
	}
	f.leave(addr, first)
	fill()
	_, _, busy, firstBusy := f.admit(addr, now)
	told = append(told, busy && firstBusy)
	for range MaxLoginWaiters {
		f.release(addr)
	}
	if n := len(f.by[addr].waiting); n != 0 {
		t.Fatalf("%d waiting, want the queue emptied", n)
	}
	fill()
	_, _, busy, firstBusy = f.admit(addr, now)
	told = append(told, busy && firstBusy)
	if want := []bool{true, false, false, false, true}; !slices.Equal(told, want) {
		t.Errorf("busy logins told first %v, want %v", told, want)
	}

	rec := httptest.NewRecorder()
	e := errs.As(loginsBusy(rec))
	if e == nil || e.Kind != errs.TooMany || e.Code != "login_busy" || rec.Header().Get("Retry-After") != "10" ||
		!strings.Contains(e.Message, "10 秒后再试") {
		t.Errorf("a busy login refused %+v, Retry-After %q; want 429 login_busy saying to retry in 10 s, Retry-After 10", e, rec.Header().Get("Retry-After"))
	}
}

// TestWaiterLeft: a login that stops waiting, its client gone, strands
// none after it: taken out of the queue, it is given no place, and one
// given a place before it noticed passes the place on to the next; the
// address's logins in flight stay counted right.
func TestWaiterLeft(t *testing.T) {
	var f failures
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const addr = "198.51.100.7"
	for range FailureLimit {
		f.admit(addr, now)
	}
	var w [3]*waiter
	for i := range w {
		_, w[i], _, _ = f.admit(addr, now)
	}
	f.leave(addr, w[0])
	f.release(addr)
	if isClosed(w[0].ready) || !isClosed(w[1].ready) || !w[1].admitted || isClosed(w[2].ready) {
		t.Fatalf("a place freed after the first waiting left: woke it %v, the second %v, the third %v; want the second only",
			isClosed(w[0].ready), isClosed(w[1].ready), isClosed(w[2].ready))
	}
	f.leave(addr, w[1])
	if !isClosed(w[2].ready) || !w[2].admitted {
		t.Fatal("the place given to a login that left was not passed on to the next")
	}
	if n := f.by[addr].inFlight; n != FailureLimit {
		t.Errorf("%d logins in flight, want %d", n, FailureLimit)
	}
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// TestInFlightNeverForgotten: when the table is full of addresses with
// logins in flight, room is not made by forgetting one of them, whose
// logins waiting for a place would then never be woken.
func TestInFlightNeverForgotten(t *testing.T) {
	var f failures
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const addr = "198.51.100.7"
	for range FailureLimit {
		f.admit(addr, now)
	}
	_, w, _, _ := f.admit(addr, now)
	if w == nil {
		t.Fatal("a login over the limit in flight did not wait")
	}
	later := now.Add(time.Second) // addr's count is the oldest
	for i := range maxFailureAddrs {
		f.admit("10.0."+strconv.Itoa(i/256)+"."+strconv.Itoa(i%256), later)
	}
	if f.by[addr] == nil {
		t.Fatal("an address with logins in flight was forgotten")
	}
	for range FailureLimit {
		f.release(addr)
	}
	if !isClosed(w.ready) {
		t.Error("the logins in flight ended, and the one waiting was not woken")
	}
}
