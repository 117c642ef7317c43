package auth

import (
	"strconv"
	"testing"
	"time"
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
// throttled, and is freed as they end: a login waiting for a place is
// woken by one released, which frees a place, and by one failed, which
// takes it for good.
func TestInFlightKept(t *testing.T) {
	var f failures
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const addr = "198.51.100.7"
	for i := range FailureLimit {
		if throttled, ended := f.admit(addr, now); throttled != 0 || ended != nil {
			t.Fatalf("login %d in flight refused", i+1)
		}
	}
	later := now.Add(2 * FailureWindow)
	for i := range 3 * maxFailureAddrs {
		f.fail("10.0."+strconv.Itoa(i/256)+"."+strconv.Itoa(i%256), later)
	}
	throttled, ended := f.admit(addr, later)
	if throttled != 0 || ended == nil {
		t.Fatalf("with its limit in flight: throttled %v, waits %v; want to wait", throttled, ended != nil)
	}
	f.release(addr)
	if !isClosed(ended) {
		t.Error("a login released did not wake those waiting")
	}
	if _, ended := f.admit(addr, later); ended != nil {
		t.Error("a login released kept its place")
	}
	_, ended = f.admit(addr, later)
	if ended == nil {
		t.Fatal("a login admitted in the place freed did not fill it")
	}
	f.fail(addr, later)
	if !isClosed(ended) {
		t.Error("a login failed did not wake those waiting")
	}
	if throttled, ended := f.admit(addr, later); throttled != 0 || ended == nil {
		t.Errorf("a login failed freed its place: throttled %v, waits %v", throttled, ended != nil)
	}
}

// TestWaitersThrottled: logins waiting for a place when the failures of
// those in flight reach the limit are woken and then refused as
// throttled for the window, not admitted.
func TestWaitersThrottled(t *testing.T) {
	var f failures
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const addr = "198.51.100.7"
	for range FailureLimit {
		f.admit(addr, now)
	}
	_, ended := f.admit(addr, now)
	for range FailureLimit {
		f.fail(addr, now)
	}
	if !isClosed(ended) {
		t.Fatal("the failures did not wake those waiting")
	}
	if throttled, ended := f.admit(addr, now); throttled != FailureWindow || ended != nil {
		t.Errorf("after %d failures: throttled %v, waits %v; want throttled %v", FailureLimit, throttled, ended != nil, FailureWindow)
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
	_, ended := f.admit(addr, now)
	if ended == nil {
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
	if !isClosed(ended) {
		t.Error("the logins in flight ended, and the one waiting was not woken")
	}
}
