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

	"github.com/hutong-gov/hutong/internal/audit"
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

// Login checks a username and password and opens a session. Every attempt is
// audited; wrong passwords count towards the lock-out. The password hash is
// checked outside the write transaction, so slow hashing never holds the
// writer.
func Login(ctx context.Context, db *sqldb.DB, username, password string, c Client, now time.Time) (Session, User, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	actor := audit.Actor{Kind: audit.ActorAnonymous, ID: username, Name: username, RemoteAddr: c.RemoteAddr}
	var lockedUntil sql.NullTime
	err := db.Read().QueryRowContext(ctx, `SELECT locked_until FROM login_failures WHERE username = $1`, username).Scan(&lockedUntil)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Session{}, User{}, fmt.Errorf("login: %w", err)
	}
	if lockedUntil.Valid && lockedUntil.Time.After(now) {
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			return audit.Record(ctx, tx, audit.Event{Actor: actor, Action: "auth.login", ObjectType: "user",
				ObjectID: username, Outcome: audit.Denied, Detail: audit.Detail("reason", "locked")}, now)
		})
		if err != nil {
			return Session{}, User{}, err
		}
		mins := int(lockedUntil.Time.Sub(now).Minutes()) + 1
		return Session{}, User{}, errs.E(errs.TooMany, "login_locked",
			fmt.Sprintf("登录失败次数过多，请 %d 分钟后再试", mins))
	}

	var u User
	var hash string
	err = db.Read().QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE username = $1`, username).
		Scan(&u.ID, &u.Username, &u.DisplayName, &u.DepartmentID, &u.Role, &u.Disabled, &u.CreatedAt, &hash)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Session{}, User{}, fmt.Errorf("login: %w", err)
	}
	if !found {
		hash = dummyHash
	}
	ok := CheckPassword(hash, password) && found
	reason := ""
	switch {
	case !ok:
		reason = "bad_password"
	case u.Disabled:
		reason = "disabled"
	}

	var s Session
	err = db.Tx(ctx, func(tx *sqldb.Tx) error {
		if reason != "" {
			if reason == "bad_password" {
				if err := recordFailure(ctx, tx, username, now); err != nil {
					return err
				}
			}
			return audit.Record(ctx, tx, audit.Event{Actor: actor, Action: "auth.login", ObjectType: "user",
				ObjectID: username, Outcome: audit.Denied, Detail: audit.Detail("reason", reason)}, now)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE username = $1`, username); err != nil {
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
		return Session{}, User{}, err
	}
	switch reason {
	case "":
		return s, u, nil
	case "disabled":
		return Session{}, User{}, errs.E(errs.Unauthenticated, "account_disabled", "账号已停用，请联系管理员")
	}
	return Session{}, User{}, errBadLogin
}

func recordFailure(ctx context.Context, tx *sqldb.Tx, username string, now time.Time) error {
	var failures int
	var first time.Time
	err := tx.QueryRowContext(ctx, `SELECT failures, first_at FROM login_failures WHERE username = $1`, username).Scan(&failures, &first)
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && now.Sub(first) > LoginWindow):
		failures, first = 0, now.UTC()
	case err != nil:
		return fmt.Errorf("login failures: %w", err)
	}
	failures++
	var locked any
	if failures >= MaxLoginFailures {
		locked = now.Add(LockDuration).UTC()
		failures = 0
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO login_failures (username, failures, first_at, locked_until) VALUES ($1, $2, $3, $4)
		ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at, locked_until = excluded.locked_until`,
		username, failures, first, locked)
	if err != nil {
		return fmt.Errorf("login failures: %w", err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

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
		u.role, u.disabled, u.created_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`,
		sha256Hex(token)).Scan(&s.CSRFToken, &s.ExpiresAt, &u.ID, &u.Username, &u.DisplayName, &u.DepartmentID,
		&u.Role, &u.Disabled, &u.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return s, u, errs.E(errs.Unauthenticated, "session_invalid", "登录已失效，请重新登录")
	}
	if err != nil {
		return s, u, fmt.Errorf("session: %w", err)
	}
	if !s.ExpiresAt.After(now) || u.Disabled {
		return s, u, errs.E(errs.Unauthenticated, "session_invalid", "登录已失效，请重新登录")
	}
	s.Token, s.UserID = token, u.ID
	return s, u, nil
}

// Logout ends a session.
func Logout(ctx context.Context, tx *sqldb.Tx, u User, token, remoteAddr string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, sha256Hex(token)); err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, now.UTC()); err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	return audit.Record(ctx, tx, audit.Event{Actor: UserActor(u, remoteAddr), Action: "auth.logout",
		ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10)}, now)
}
