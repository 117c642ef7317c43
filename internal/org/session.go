package org

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Login throttling: after MaxLoginFailures wrong passwords for one username
// within LoginWindow, the username is locked for LockDuration. Kept in the
// database so that every server process behind a load balancer agrees.
const (
	MaxLoginFailures = 5
	LoginWindow      = 15 * time.Minute
	LockDuration     = 15 * time.Minute
	SessionTTL       = 12 * time.Hour
)

// Session is a staff login. Token is only known right after Login; the
// database keeps its SHA-256.
type Session struct {
	Token     string
	CSRFToken string
	UserID    int64
	ExpiresAt time.Time
}

// Client describes where a request came from, for the audit log.
type Client struct {
	RemoteAddr string
	UserAgent  string
}

func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

var errBadLogin = errs.E(errs.Unauthenticated, "invalid_credentials", "用户名或密码错误")

// errBadLoginLocking refuses the wrong password that locks the username
// out. Unknown usernames that an account could have are counted and
// locked as accounts' are, so that it tells no more than errBadLogin
// whether the account exists.
var errBadLoginLocking = errs.E(errs.Unauthenticated, "invalid_credentials",
	fmt.Sprintf("用户名或密码错误。尝试次数过多，账号已锁定 %d 分钟", int(LockDuration/time.Minute)))

// Login checks a username and password and opens a session. Every attempt is
// audited; wrong passwords count towards the lock-out. The password hash is
// checked outside the write transaction, so slow hashing never holds the
// writer. The address the attempt comes from, when ctx carries its
// Attempts, may have it wait (admit) or refuse it first, unchecked and
// unaudited, and is told of the end of one it admitted, refused or not,
// and of the lock-out of its username the attempt started.
func Login(ctx context.Context, db *sqldb.DB, username, password string, c Client, now time.Time) (Session, User, error) {
	at := attemptsOf(ctx)
	if at == nil {
		s, u, _, err := login(ctx, db, strings.ToLower(strings.TrimSpace(username)), password, c, now)
		return s, u, err
	}
	if err := admit(ctx, at); err != nil {
		return Session{}, User{}, err
	}
	// The attempt admitted is ended even when login panics, so that its
	// place in flight is never kept.
	failed := false
	defer func() {
		if failed {
			at.Failed()
		} else {
			at.Passed()
		}
	}()
	username = strings.ToLower(strings.TrimSpace(username))
	s, u, locked, err := login(ctx, db, username, password, c, now)
	failed = failedLogin(err)
	if !locked.IsZero() {
		at.Locked(username, locked, LockedByLogin)
	}
	return s, u, err
}

// admitWaits, when set (by the tests), is called by a login before it
// waits to be admitted.
var admitWaits func()

// admit has at admit a login, waiting while at says to, as long as ctx
// lasts: a login whose client has gone stops waiting, tells at (Left),
// and returns ctx's error. It waits outside any transaction and holds no
// hash slot.
func admit(ctx context.Context, at Attempts) error {
	for {
		wait, err := at.Allow()
		if err != nil || wait == nil {
			return err
		}
		if admitWaits != nil {
			admitWaits()
		}
		select {
		case <-wait:
		case <-ctx.Done():
			at.Left()
			return fmt.Errorf("login: %w", ctx.Err())
		}
	}
}

// login is Login of username, lower-cased and trimmed. When the attempt's
// wrong password locked the username out, it returns the lock-out's end
// as stored too; zero otherwise.
func login(ctx context.Context, db *sqldb.DB, username, password string, c Client, now time.Time) (Session, User, time.Time, error) {
	if !validUsername(username) {
		return Session{}, User{}, time.Time{}, refuseName(ctx, db, username, password, c, now)
	}
	actor := audit.Actor{Kind: audit.ActorAnonymous, ID: username, Name: username, RemoteAddr: c.RemoteAddr}
	var lockedUntil sql.NullTime
	err := db.Bounded(ctx, func(ctx context.Context) error {
		return db.Read().QueryRowContext(ctx, `SELECT locked_until FROM login_failures WHERE username = $1`, username).Scan(&lockedUntil)
	})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Session{}, User{}, time.Time{}, fmt.Errorf("login: %w", err)
	}
	if lockedUntil.Valid && lockedUntil.Time.After(now) {
		err := db.BoundedTx(ctx, func(ctx context.Context, tx *sqldb.Tx) error {
			return audit.Record(ctx, tx, audit.Event{Actor: actor, Action: "auth.login", ObjectType: "user",
				ObjectID: username, Outcome: audit.Denied, Detail: audit.Detail("reason", "locked")}, now)
		})
		if err != nil {
			return Session{}, User{}, time.Time{}, err
		}
		return Session{}, User{}, time.Time{}, lockedErr(lockedUntil.Time, now)
	}

	var u User
	var hash string
	err = db.Bounded(ctx, func(ctx context.Context) error {
		return db.Read().QueryRowContext(ctx, `SELECT u.id, u.username, u.display_name, u.department_id, u.role, u.disabled,
			u.created_at, u.password_change_required, u.password_hash, d.is_operator FROM users u
			JOIN departments d ON d.id = u.department_id WHERE u.username = $1`, username).
			Scan(&u.ID, &u.Username, &u.DisplayName, &u.DepartmentID, &u.Role, &u.Disabled, &u.CreatedAt,
				&u.PasswordChangeRequired, &hash, &u.Platform)
	})
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Session{}, User{}, time.Time{}, fmt.Errorf("login: %w", err)
	}
	if !found {
		hash = dummyHash
	}
	ok, err := CheckPassword(ctx, hash, password)
	if err != nil {
		return Session{}, User{}, time.Time{}, err
	}
	ok = ok && found
	reason := ""
	switch {
	case !ok:
		reason = "bad_password"
	case u.Disabled:
		reason = "disabled"
	case !u.roleHeld():
		reason = "role_platform_only"
	}

	if loginChecked != nil {
		loginChecked()
	}

	var s Session
	err = db.BoundedTx(ctx, func(ctx context.Context, tx *sqldb.Tx) error {
		// The password checked must still be the account's, and the
		// account enabled: a reset, change or disabling that committed
		// since they were read has ended the account's sessions and
		// must not be outlived by this one. The account's row stays
		// locked until the session is stored (lockUser).
		if reason == "" {
			if err := recheckLogin(ctx, tx, u.ID, hash, &reason); err != nil {
				return err
			}
		}
		// Attempts run side by side, each hashing outside a transaction:
		// the lock-out is decided again here, on the username's row
		// locked, so that no attempt in flight gets past a lock, nor
		// counts from a stale count.
		var err error
		reason, lockedUntil.Time, err = settleAttempt(ctx, tx, username, reason,
			audit.Event{Actor: actor, Action: "auth.login", ObjectType: "user", ObjectID: username}, now)
		if err != nil || reason != "" {
			return err
		}
		s = Session{Token: randomToken(32), CSRFToken: randomToken(32), UserID: u.ID, ExpiresAt: now.Add(SessionTTL).UTC()}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at,
		remote_addr, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			sha256Hex(s.Token), u.ID, s.CSRFToken, now.UTC(), s.ExpiresAt, c.RemoteAddr, truncate(c.UserAgent, 256)); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		actor = UserActor(u, c.RemoteAddr)
		return audit.Record(ctx, tx, audit.Event{Actor: actor, Action: "auth.login", ObjectType: "user",
			ObjectID: strconv.FormatInt(u.ID, 10)}, now)
	})
	if err != nil {
		return Session{}, User{}, time.Time{}, err
	}
	switch reason {
	case "":
		return s, u, time.Time{}, nil
	case "disabled":
		return Session{}, User{}, time.Time{}, errs.E(errs.Unauthenticated, "account_disabled", "账号已停用，请联系管理员")
	case "role_platform_only":
		return Session{}, User{}, time.Time{}, errs.E(errs.Forbidden, "role_platform_only", "账号的角色“"+u.Role.Label()+"”只能属于政务数据主管部门的账号，不能登录，请联系平台管理员更正")
	case "locked":
		return Session{}, User{}, time.Time{}, lockedErr(lockedUntil.Time, now)
	}
	if !lockedUntil.Time.IsZero() {
		return Session{}, User{}, lockedUntil.Time, errBadLoginLocking
	}
	return Session{}, User{}, time.Time{}, errBadLogin
}

// loginChecked, when set (by the tests), is called by Login once the
// password is checked and before the session is opened.
var loginChecked func()

// recheckLogin reads account id's password hash and state again in tx
// (lockUser) and sets *reason to "bad_password" when the hash is no longer
// the one checked, the password having been reset or changed since, or to
// "disabled" when the account has been disabled since.
func recheckLogin(ctx context.Context, tx *sqldb.Tx, id int64, checked string, reason *string) error {
	stored, disabled, err := lockUser(ctx, tx, id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		*reason = "bad_password"
	case err != nil:
		return fmt.Errorf("login: %w", err)
	case stored != checked:
		*reason = "bad_password"
	case disabled:
		*reason = "disabled"
	}
	return nil
}

// lockUser returns account id's password hash and whether it is disabled,
// read in tx with its row locked until tx ends (lockUserRow). Login and
// ChangePassword lock it before the username's lock-out row, in the order
// SetPassword takes them, so that none waits for another holding the
// other.
func lockUser(ctx context.Context, tx *sqldb.Tx, id int64) (hash string, disabled bool, err error) {
	if err := lockUserRow(ctx, tx, id); err != nil {
		return "", false, err
	}
	err = tx.QueryRowContext(ctx, `SELECT password_hash, disabled FROM users WHERE id = $1`, id).Scan(&hash, &disabled)
	return hash, disabled, err
}

// refuseName refuses a login as a username no account can have
// (validUsername): as an unknown one, after as long a hash, with the same
// error, audited. It is not counted towards a lock-out: no lock-out row is
// written for a name that can never log in (PostgreSQL would refuse NUL
// and a key as long as the name, and rows of invented names would pile
// up), and the audit row keeps the name cut short and storable.
func refuseName(ctx context.Context, db *sqldb.DB, username, password string, c Client, now time.Time) error {
	if _, err := CheckPassword(ctx, dummyHash, password); err != nil {
		return err
	}
	name := auditName(username)
	err := db.BoundedTx(ctx, func(ctx context.Context, tx *sqldb.Tx) error {
		return audit.Record(ctx, tx, audit.Event{Actor: audit.Actor{Kind: audit.ActorAnonymous, ID: name, Name: name,
			RemoteAddr: c.RemoteAddr}, Action: "auth.login", ObjectType: "user", ObjectID: name, Outcome: audit.Denied,
			Detail: audit.Detail("reason", "invalid_username")}, now)
	})
	if err != nil {
		return err
	}
	return errBadLogin
}

// maxAuditName is how many characters of a username that cannot be an
// account's an audit row keeps: the longest an account's may have.
const maxAuditName = 64

// auditName is s as an audit row keeps a username that cannot be an
// account's: bytes that are not UTF-8 and control characters (NUL among
// them) as U+FFFD, and when longer than maxAuditName characters, its first
// ones and "…".
func auditName(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, string(utf8.RuneError)))
	if utf8.RuneCountInString(s) <= maxAuditName {
		return s
	}
	return string([]rune(s)[:maxAuditName]) + "…"
}

func lockedErr(until, now time.Time) error {
	mins := int(until.Sub(now).Minutes()) + 1
	return errs.Wrap(errs.TooMany, "login_locked", fmt.Sprintf("登录失败次数过多，请 %d 分钟后再试", mins), errs.Retry{After: until.Sub(now)})
}

// LockClock shows the end of a lock-out in Beijing time, as the console
// shows times, to the minute: the minute it is over by, so that nobody is
// told it is over before it is.
func LockClock(until time.Time) string {
	return until.Add(time.Minute - time.Nanosecond).Truncate(time.Minute).In(calendar.Location()).Format("15:04")
}

// settleAttempt counts an attempt at username's password in tx, refused
// for reason or, when reason is empty, accepted (see countAttempt). When
// the username was locked out before it, the reason becomes "locked";
// lockedUntil is the lock's end then, and when this attempt locked the
// username out (its reason staying "bad_password"); zero otherwise. A
// refused attempt is audited as ev, denied with its reason.
func settleAttempt(ctx context.Context, tx *sqldb.Tx, username, reason string, ev audit.Event, now time.Time) (string, time.Time, error) {
	locked, before, err := countAttempt(ctx, tx, username, reason == "bad_password", now)
	if err != nil {
		return reason, time.Time{}, err
	}
	if before {
		reason = "locked"
	}
	if reason == "" {
		return "", time.Time{}, nil
	}
	ev.Outcome, ev.Detail = audit.Denied, audit.Detail("reason", reason)
	return reason, locked, audit.Record(ctx, tx, ev, now)
}

// countAttempt locks the username's lock-out row in tx. When a lock is in
// force it returns its end and before true, and the attempt neither
// counts nor lifts it. Otherwise it counts a failed attempt: the
// MaxLoginFailures-th within LoginWindow locks the username for the
// attempts after it, and countAttempt returns the lock's end; or it
// clears the count after a successful one. It returns zero but for a lock.
func countAttempt(ctx context.Context, tx *sqldb.Tx, username string, failed bool, now time.Time) (until time.Time, before bool, err error) {
	var failures int
	var first time.Time
	var locked sql.NullTime
	// An update of nothing, to hold the row until tx ends (PostgreSQL
	// would let two transactions read the same count).
	err = tx.QueryRowContext(ctx, `INSERT INTO login_failures (username, failures, first_at) VALUES ($1, 0, $2)
		ON CONFLICT (username) DO UPDATE SET username = excluded.username RETURNING failures, first_at, locked_until`,
		username, now.UTC()).Scan(&failures, &first, &locked)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("login failures: %w", err)
	}
	if locked.Valid && locked.Time.After(now) {
		return locked.Time, true, nil
	}
	if !failed {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE username = $1`, username)
		return time.Time{}, false, err
	}
	if now.Sub(first) > LoginWindow {
		failures, first = 0, now.UTC()
	}
	failures++
	var lock any
	if failures >= MaxLoginFailures {
		failures, lock = 0, now.Add(LockDuration).UTC()
	}
	// The lock's end is returned as stored (PostgreSQL keeps
	// microseconds), so that the end logged and told is the one in force.
	if err := tx.QueryRowContext(ctx, `UPDATE login_failures SET failures = $2, first_at = $3, locked_until = $4
		WHERE username = $1 RETURNING locked_until`, username, failures, first, lock).Scan(&locked); err != nil {
		return time.Time{}, false, fmt.Errorf("login failures: %w", err)
	}
	return locked.Time, false, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// roleHeld reports whether u may act in its role: a platform-wide role
// (PlatformOnly) only in the platform operator's department. CreateUser
// stores no other; an account stored so otherwise (by hand, by an older
// version) neither logs in nor keeps its sessions.
func (u User) roleHeld() bool { return !u.Role.PlatformOnly() || u.Platform }

// UserActor is the audit actor for a staff user.
func UserActor(u User, remoteAddr string) audit.Actor {
	return audit.Actor{Kind: audit.ActorUser, ID: strconv.FormatInt(u.ID, 10), Name: u.Username,
		DepartmentID: u.DepartmentID, RemoteAddr: remoteAddr}
}

// SessionUser returns the session and account of a session token, or an
// Unauthenticated error when the token is unknown, expired or its account
// disabled.
func SessionUser(ctx context.Context, q sqldb.Querier, token string, now time.Time) (Session, User, error) {
	var s Session
	var u User
	err := q.QueryRowContext(ctx, `SELECT s.csrf_token, s.expires_at, u.id, u.username, u.display_name, u.department_id,
		u.role, u.disabled, u.created_at, u.password_change_required, d.is_operator FROM sessions s
		JOIN users u ON u.id = s.user_id JOIN departments d ON d.id = u.department_id WHERE s.token_hash = $1`,
		sha256Hex(token)).Scan(&s.CSRFToken, &s.ExpiresAt, &u.ID, &u.Username, &u.DisplayName, &u.DepartmentID,
		&u.Role, &u.Disabled, &u.CreatedAt, &u.PasswordChangeRequired, &u.Platform)
	if errors.Is(err, sql.ErrNoRows) {
		return s, u, errs.E(errs.Unauthenticated, "session_invalid", "登录已失效，请重新登录")
	}
	if err != nil {
		return s, u, fmt.Errorf("session: %w", err)
	}
	if !s.ExpiresAt.After(now) || u.Disabled || !u.roleHeld() {
		return s, u, errs.E(errs.Unauthenticated, "session_invalid", "登录已失效，请重新登录")
	}
	s.Token, s.UserID = token, u.ID
	return s, u, nil
}

// Logout ends a session, in a transaction of its own bounded as a
// login's are (sqldb.BoundedTx). It deletes only that session: the
// upkeep deletes expired ones (PruneSessions), past a margin for a clock
// that is wrong.
func Logout(ctx context.Context, db *sqldb.DB, u User, token, remoteAddr string, now time.Time) error {
	return db.BoundedTx(ctx, func(ctx context.Context, tx *sqldb.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, sha256Hex(token)); err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{Actor: UserActor(u, remoteAddr), Action: "auth.logout",
			ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10)}, now)
	})
}
