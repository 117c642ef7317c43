package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// KeyCredential is an API key as the request it authenticated holds it
// (audit.Credential): its write is refused once the key is revoked or
// expired (a rotation without grace revokes it), or its app revoked. A
// key has no lifetime of its own: its expiry is the end of the grace
// period a rotation gave it, an end made by a change, so it is judged at
// the time of the check, as a revocation is.
type KeyCredential struct {
	KeyID string
	AppID int64
}

// KeyActor is AppActor with the key as its credential, for the requests
// the key authenticates.
func KeyActor(a App, keyID, remoteAddr string) audit.Actor {
	actor := AppActor(a, keyID, remoteAddr)
	actor.Credential = KeyCredential{KeyID: keyID, AppID: a.ID}
	return actor
}

// Check refuses the key unless it and its app can be used at now, the
// time of the check (its request's arrival does not count), with
// the refusal of a bad key (errBadKey's code and words). The app's row
// is locked first, then the key's, in the order RevokeApp and
// RotateKeyIf lock them.
func (k KeyCredential) Check(ctx context.Context, tx *sqldb.Tx, _, now time.Time) error {
	var appRevoked, expires, revoked sql.NullTime
	err := tx.QueryRowContext(ctx, `SELECT revoked_at FROM apps WHERE id = $1`+forShare(tx), k.AppID).Scan(&appRevoked)
	if err == nil {
		err = tx.QueryRowContext(ctx, `SELECT expires_at, revoked_at FROM app_keys WHERE key_id = $1 AND app_id = $2`+forShare(tx),
			k.KeyID, k.AppID).Scan(&expires, &revoked)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("check key %s: %w", k.KeyID, err)
	case !appRevoked.Valid && (Key{ExpiresAt: timePtr(expires), RevokedAt: timePtr(revoked)}).Active(now):
		return nil
	}
	return errs.Wrap(errs.Unauthenticated, errBadKey.Code, errBadKey.Message, audit.ErrCredentialEnded)
}

// SessionCredential is a staff session as the request it authenticated
// holds it (audit.Credential): its write is refused once the session has
// ended (logged out, the password reset), or its account is disabled or
// has another role or department than when the request began (which end
// its sessions too), or it had expired when its request arrived: its
// expiry is fixed at login (SessionTTL), so a request sent in time, an
// upload whose body arrives for up to auth.LongRequest, is not refused
// for its session's lifetime ending meanwhile.
type SessionCredential struct {
	TokenHash    string
	UserID       int64
	Role         Role
	DepartmentID int64
}

// SessionActor is UserActor with session s as its credential, for the
// requests s authenticates.
func SessionActor(u User, s Session, remoteAddr string) audit.Actor {
	actor := UserActor(u, remoteAddr)
	actor.Credential = SessionCredential{TokenHash: sha256Hex(s.Token), UserID: u.ID, Role: u.Role, DepartmentID: u.DepartmentID}
	return actor
}

// Check refuses the session unless it is stored (not ended by a change,
// whenever made), unexpired at arrived, and its account enabled in the
// role and department it had, with
// session_invalid, the refusal of an ended session (SessionUser). The
// account's row is locked first, then the session's, in the order
// UpdateUser, SetDisabledIf and a department's disable take them.
func (s SessionCredential) Check(ctx context.Context, tx *sqldb.Tx, arrived, _ time.Time) error {
	var role string
	var dept int64
	var disabled bool
	var expires time.Time
	err := tx.QueryRowContext(ctx, `SELECT role, department_id, disabled FROM users WHERE id = $1`+forShare(tx), s.UserID).
		Scan(&role, &dept, &disabled)
	if err == nil {
		err = tx.QueryRowContext(ctx, `SELECT expires_at FROM sessions WHERE token_hash = $1 AND user_id = $2`+forShare(tx),
			s.TokenHash, s.UserID).Scan(&expires)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("check session of user %d: %w", s.UserID, err)
	case !disabled && Role(role) == s.Role && dept == s.DepartmentID && expires.After(arrived):
		return nil
	}
	return errs.Wrap(errs.Unauthenticated, "session_invalid", "登录已失效，请重新登录", audit.ErrCredentialEnded)
}

// forShare is the clause that share-locks the rows a query of tx reads,
// on PostgreSQL; SQLite's transaction holds the one writer.
func forShare(tx *sqldb.Tx) string {
	if tx.Dialect == sqldb.Postgres {
		return ` FOR SHARE`
	}
	return ""
}
