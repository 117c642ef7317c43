package auth

import (
	"context"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/reqlog"
)

// The limit of failed authentication per client address. Refused API
// keys and failed logins are counted apart, each in its own table:
// FailureLimit of one kind within FailureWindow throttle the address for
// that kind for FailureWindow. Throttled for keys, the address's failed
// keys are answered 429 too_many_failures unaudited, but a valid key
// still passes: departments reach the platform through shared egress
// addresses (gateways, NAT, a building's proxy), and one system retrying
// a revoked key must not shut out every app and person behind its
// address, while checking a 256-bit random secret tells an attacker
// nothing. Throttled for logins, every login from the address is refused
// unchecked and unaudited (429 too_many_failures), so that a spray of
// usernames stops; keys from it are not affected. A login is counted
// when it is admitted, in flight, before its password is checked: while
// the address's failures and its logins in flight reach FailureLimit, or
// others of its logins wait, its next login waits for a place, so that
// logins sent side by side cannot have more than FailureLimit passwords
// checked before the first of them fails, and right ones sent together
// are all admitted as those before them pass and free their places. The
// logins waiting are admitted first in, first out, one per place freed;
// those waiting when the failures throttle the address are refused as
// throttled. At most MaxLoginWaiters of an address wait: a login beyond
// them is refused at once (429 login_busy, loginsBusy: its own code, so
// that neither the client nor the operator takes it for a throttle),
// unchecked and without an auth.login row, as a throttled one is; the
// first refused since the address's queue was last empty is told once, as
// a throttle is: an auth.throttle row (reason login_busy) and a warning in
// the log (loginAttempts.busy), so that a client that keeps the queue full
// cannot flood either. maxFailureAddrs bounds the addresses each table
// remembers.
//
// MaxLoginWaiters is FailureLimit: an address then holds at most twice
// FailureLimit logins at once, each a goroutine and a connection, so that
// a hostile client cannot park more than that per address (per /64), while
// an office behind one NAT logging in together, up to 60 people within the
// time a login takes, all log in when the address has no failed login in
// the current window: each failure within it keeps a place, so with n
// failures 60 − n log in together and the rest are refused (loginsBusy).
const (
	FailureLimit    = 30
	FailureWindow   = 10 * time.Minute
	MaxLoginWaiters = FailureLimit
	maxFailureAddrs = 10000
	// loginsBusyRetry is the Retry-After of a login refused because
	// MaxLoginWaiters of its address wait: a login takes well under a
	// second, so places free within it.
	loginsBusyRetry = 10 * time.Second
)

// failureKind is what failed, which the address is throttled for: an
// API key or a login. Its value is the reason of the auth.throttle row.
type failureKind string

const (
	keyFailures   failureKind = "key_failures"
	loginFailures failureKind = "login_failures"
)

// failures counts failed authentication of one kind per client address,
// in memory: each server process keeps its own.
type failures struct {
	mu sync.Mutex
	by map[string]*failureCount
}

// failureCount is an address's failures since first, until when it is
// throttled (zero when it is not), its logins admitted and in flight
// (admit), each to be counted a failure (fail) or released (release), and
// its logins waiting for a place, in the order they came. busyTold is
// set when a login is refused for MaxLoginWaiters waiting (busy), and
// cleared once the queue is empty again: the refusals of an episode are
// told once.
type failureCount struct {
	first, until time.Time
	n, inFlight  int
	waiting      []*waiter
	busyTold     bool
}

// waiter is a login waiting for a place in flight: ready is closed when
// it is given one, admitted set first, or when its address is throttled.
type waiter struct {
	ready    chan struct{}
	admitted bool
}

// clientKey is the key of the address addr: an IPv6 address by its /64,
// which one client commonly holds whole.
func clientKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// throttled is how long the address key stays throttled at now, 0 when
// it is not.
func (f *failures) throttled(key string, now time.Time) time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.by[key]; c != nil && c.until.After(now) {
		return c.until.Sub(now)
	}
	return 0
}

// admit counts a login of the address key in flight at now, unless the
// address is throttled, when it returns how long it stays so, or it has no
// place free for it: its failures and logins in flight reach FailureLimit
// or others wait before it. The login then waits, last in the queue (wait,
// the address not throttled, its failures fewer than FailureLimit and
// logins in flight or waiting before it), or, when MaxLoginWaiters wait
// already, is refused (busy), firstBusy when it is the first refused so
// since the queue was last empty.
func (f *failures) admit(key string, now time.Time) (throttled time.Duration, wait *waiter, busy, firstBusy bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.count(key, now)
	if c.until.After(now) {
		return c.until.Sub(now), nil, false, false
	}
	if len(c.waiting) == 0 {
		c.busyTold = false
		if c.n+c.inFlight < FailureLimit {
			c.inFlight++
			return 0, nil, false, false
		}
	}
	if len(c.waiting) >= MaxLoginWaiters {
		firstBusy, c.busyTold = !c.busyTold, true
		return 0, nil, true, firstBusy
	}
	w := &waiter{ready: make(chan struct{})}
	c.waiting = append(c.waiting, w)
	return 0, w, false, false
}

// leave takes w, a login of the address key that stopped waiting, its
// client gone, out of the queue, or, when it had been given a place,
// frees the place for the next.
func (f *failures) leave(key string, w *waiter) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.by[key]
	if c == nil {
		return
	}
	if i := slices.Index(c.waiting, w); i >= 0 {
		c.waiting = slices.Delete(c.waiting, i, i+1)
		return
	}
	if w.admitted {
		c.end()
	}
}

// release frees the place of a login of the address key admitted and not
// failed.
func (f *failures) release(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.by[key]; c != nil {
		c.end()
	}
}

// end ends a login of c in flight, if any, giving its place to the first
// waiting.
func (c *failureCount) end() {
	if c.inFlight == 0 {
		return
	}
	c.inFlight--
	c.admitWaiting()
}

// admitWaiting gives the places free to the logins waiting, one each, in
// the order they came.
func (c *failureCount) admitWaiting() {
	for len(c.waiting) > 0 && c.n+c.inFlight < FailureLimit {
		w := c.waiting[0]
		c.waiting = slices.Delete(c.waiting, 0, 1)
		c.inFlight++
		w.admitted = true
		close(w.ready)
	}
}

// count is the address key's count at now, new when there is none, begun
// again when its window has passed, its places freed then given to those
// waiting.
func (f *failures) count(key string, now time.Time) *failureCount {
	c := f.by[key]
	if c == nil {
		if f.by == nil {
			f.by = map[string]*failureCount{}
		}
		if len(f.by) >= maxFailureAddrs {
			f.evict(now)
		}
		c = &failureCount{first: now}
		f.by[key] = c
	}
	if now.Sub(c.first) >= FailureWindow {
		c.first, c.n = now, 0
		c.admitWaiting()
	}
	return c
}

// fail counts a failure of the address key at now, of a login admitted
// (admit), whose place it keeps, or of a key, and reports whether it
// throttles the address, which refuses the logins waiting.
func (f *failures) fail(key string, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.count(key, now)
	if c.inFlight > 0 {
		c.inFlight--
	}
	c.n++
	if c.n < FailureLimit || c.until.After(now) {
		return false
	}
	c.until, c.first, c.n = now.Add(FailureWindow), now, 0
	for _, w := range c.waiting {
		close(w.ready)
	}
	c.waiting = nil
	return true
}

// evict makes room for addresses: it forgets those whose window and
// throttling have passed and, when that frees too little, a tenth of the
// table, the addresses whose count began first of those not throttled (of
// all, when too few are): a flood of addresses costs a sort now and then,
// not a scan per failure, and a throttled address stays so. An address
// with logins in flight or waiting is never forgotten: those waiting for
// a place are in its queue, which only the end of one in flight moves.
// There are no more of those than logins being served at once.
func (f *failures) evict(now time.Time) {
	type aged struct {
		key       string
		first     time.Time
		throttled bool
	}
	all := make([]aged, 0, len(f.by))
	for k, c := range f.by {
		if c.inFlight > 0 || len(c.waiting) > 0 {
			continue
		}
		throttled := c.until.After(now)
		if now.Sub(c.first) >= FailureWindow && !throttled {
			delete(f.by, k)
			continue
		}
		all = append(all, aged{k, c.first, throttled})
	}
	if len(f.by) < maxFailureAddrs {
		return
	}
	slices.SortFunc(all, func(x, y aged) int {
		if x.throttled != y.throttled {
			if x.throttled {
				return 1
			}
			return -1
		}
		return x.first.Compare(y.first)
	})
	for _, e := range all[:min(len(all), maxFailureAddrs/10)] {
		delete(f.by, e.key)
	}
}

// keysThrottled refuses a failed API key from an address throttled for
// failed keys, which stays so for wait: 429 with Retry-After.
func keysThrottled(w http.ResponseWriter, wait time.Duration) error {
	mins := retryAfter(w, wait)
	return errs.E(errs.TooMany, "too_many_failures",
		"API 密钥认证失败。来自您所在网络地址的密钥认证失败次数过多，请检查应用配置的密钥，"+strconv.Itoa(mins)+" 分钟后再试")
}

// loginsThrottled refuses a login from an address throttled for failed
// logins, which stays so for wait: 429 with Retry-After.
func loginsThrottled(w http.ResponseWriter, wait time.Duration) error {
	mins := retryAfter(w, wait)
	return errs.E(errs.TooMany, "too_many_failures",
		"来自您所在网络地址的登录失败次数过多，已暂停从该地址登录，请 "+strconv.Itoa(mins)+" 分钟后再试")
}

// loginsBusy refuses a login from an address whose logins in flight and
// waiting for a place fill their bounds (MaxLoginWaiters): 429
// login_busy with Retry-After loginsBusyRetry. Its message says the login
// was not checked and not counted as a failure, unlike a throttle's.
func loginsBusy(w http.ResponseWriter) error {
	retryAfter(w, loginsBusyRetry)
	return errs.E(errs.TooMany, "login_busy",
		"来自您所在网络地址正在排队等待的登录过多（已有 "+strconv.Itoa(MaxLoginWaiters)+" 个），本次登录未受理，未核对密码，也不计入登录失败次数，请 "+
			strconv.Itoa(int(loginsBusyRetry/time.Second))+" 秒后再试")
}

// retryAfter sets Retry-After to wait, in whole seconds rounded up, and
// returns wait in whole minutes rounded up.
func retryAfter(w http.ResponseWriter, wait time.Duration) (mins int) {
	secs := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return (secs + 59) / 60
}

// table is the count of failures of kind.
func (a *Authenticator) table(kind failureKind) *failures {
	if kind == keyFailures {
		return &a.keyFailures
	}
	return &a.loginFailures
}

// throttleNow is the time the throttle's counts are kept by: Monotonic's,
// Now's when it is nil.
func (a *Authenticator) throttleNow() time.Time {
	if a.Monotonic != nil {
		return a.Monotonic()
	}
	return a.Now()
}

// failed counts a failed authentication of kind from r's address and,
// when it throttles the address, records that once at now: an
// auth.throttle row of an anonymous actor at the address, its reason the
// kind, and a warning in the log with the request's ID, for whoever
// watches it (its window in minutes, as the row's: a time.Duration is
// written in nanoseconds in JSON).
func (a *Authenticator) failed(ctx context.Context, r *http.Request, kind failureKind, now time.Time) error {
	key := clientKey(RemoteAddr(r))
	if !a.table(kind).fail(key, a.throttleNow()) {
		return nil
	}
	a.Log.Warn("client address throttled after failed authentication", "request_id", reqlog.ID(ctx), "address", key,
		"reason", string(kind), "failures", FailureLimit, "window_minutes", int(FailureWindow/time.Minute),
		"until", now.Add(FailureWindow).UTC())
	ev := audit.Event{Actor: audit.Actor{Kind: audit.ActorAnonymous, RemoteAddr: RemoteAddr(r)},
		Action: "auth.throttle", ObjectType: "client_address", ObjectID: key,
		Detail: audit.Detail("reason", string(kind), "failures", strconv.Itoa(FailureLimit),
			"window_minutes", strconv.Itoa(int(FailureWindow/time.Minute)),
			"until", now.Add(FailureWindow).UTC().Format(time.RFC3339), "path", r.URL.Path)}
	return audit.RecordDenied(ctx, a.DB, ev, now)
}

// loginAttempts is a request's org.Attempts: the logins it makes are
// refused while its address is throttled for failed logins, wait for a
// place while its failed logins and logins in flight reach the limit (or
// refused while MaxLoginWaiters wait), are counted in flight when
// admitted, and as failures when refused. waiting is the place in the
// queue of the login waiting, nil when none waits.
type loginAttempts struct {
	a       *Authenticator
	w       http.ResponseWriter
	r       *http.Request
	waiting *waiter
}

// Allow admits the login, or has it wait on a channel, after which Allow
// is asked again: the login woken was given a place, or its address was
// throttled and it is refused so.
func (l *loginAttempts) Allow() (<-chan struct{}, error) {
	if w := l.waiting; w != nil {
		l.waiting = nil
		if w.admitted {
			return nil, nil
		}
	}
	throttled, wait, busy, firstBusy := l.a.loginFailures.admit(clientKey(RemoteAddr(l.r)), l.a.throttleNow())
	switch {
	case throttled > 0:
		return nil, loginsThrottled(l.w, throttled)
	case busy:
		if firstBusy {
			l.busy()
		}
		return nil, loginsBusy(l.w)
	case wait != nil:
		l.waiting = wait
		return wait.ready, nil
	}
	return nil, nil
}

// busy records the first login of its address refused since its queue of
// logins waiting was last empty, MaxLoginWaiters waiting (Allow), once for
// the episode: a warning in the log with the request's ID and the
// address, and an auth.throttle row of an anonymous actor at the address,
// its reason login_busy.
func (l *loginAttempts) busy() {
	ctx, key, now := l.r.Context(), clientKey(RemoteAddr(l.r)), l.a.Now()
	l.a.Log.Warn("client address refused logins: too many waiting", "request_id", reqlog.ID(ctx), "address", key,
		"waiting", MaxLoginWaiters, "retry_after_seconds", int(loginsBusyRetry/time.Second))
	ev := audit.Event{Actor: audit.Actor{Kind: audit.ActorAnonymous, RemoteAddr: RemoteAddr(l.r)},
		Action: "auth.throttle", ObjectType: "client_address", ObjectID: key,
		Detail: audit.Detail("reason", "login_busy", "waiting", strconv.Itoa(MaxLoginWaiters), "path", l.r.URL.Path)}
	if err := audit.RecordDenied(ctx, l.a.DB, ev, now); err != nil {
		l.a.Log.Error("audit auth.throttle", "err", err)
	}
}

// Left takes the login that stopped waiting out of its address's queue,
// passing on the place it was given if it was.
func (l *loginAttempts) Left() {
	if l.waiting != nil {
		l.a.loginFailures.leave(clientKey(RemoteAddr(l.r)), l.waiting)
		l.waiting = nil
	}
}

func (l *loginAttempts) Passed() {
	l.a.loginFailures.release(clientKey(RemoteAddr(l.r)))
}

func (l *loginAttempts) Failed() {
	if err := l.a.failed(l.r.Context(), l.r, loginFailures, l.a.Now()); err != nil {
		l.a.Log.Error("audit auth.throttle", "err", err)
	}
}

// lockedMessages are the warnings of a lock-out by what started it.
var lockedMessages = map[org.LockedBy]string{
	org.LockedByLogin:          "username locked out after failed logins",
	org.LockedByPasswordChange: "username locked out by a password change's wrong current password",
}

// Locked logs the lock-out of username that the request's login, or its
// password change's wrong current password, started as a warning saying
// which, with the request's ID and its address, the username masked
// whatever its form (ident.MaskValue): a username may be a citizen ID, a
// credit code, a passport or permit number, a phone number, which the log
// must not name, and nothing tells them from a person's name. One of 15
// letters and digits or more keeps its first 6 and last 2, a shorter one
// none. The audit log has the attempts in full.
func (l *loginAttempts) Locked(username string, until time.Time, by org.LockedBy) {
	l.a.Log.Warn(lockedMessages[by], "request_id", reqlog.ID(l.r.Context()),
		"username", ident.MaskValue(username), "address", RemoteAddr(l.r), "failures", org.MaxLoginFailures, "until", until.UTC())
}
