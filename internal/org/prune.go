package org

import (
	"context"
	"fmt"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// pruneChunk is how many rows one statement of PruneSessions and
// PruneLoginFailures deletes: each is a short transaction of its own, so
// that a backlog (the first pass after an upgrade) never holds the writer
// or many row locks for long. A variable for the tests.
var pruneChunk = 1000

// PruneSessions deletes the sessions expired at now, which SessionUser
// refuses, and returns how many. Logout deleted them, so a staff member
// who closed the browser instead left a row for every login; the server's
// upkeep calls this. It also forgets the password hash an own change
// replaced (ChangePassword) on the session that made the change once the
// account's password is older than RepeatWindow, when it can no longer
// recognise the change sent again: it was kept for the session's life.
func PruneSessions(ctx context.Context, db *sqldb.DB, now time.Time) (int64, error) {
	n, err := deleteChunks(ctx, db, "sessions", "token_hash", "expires_at < $1", now.UTC())
	if err != nil {
		return n, fmt.Errorf("delete expired sessions: %w", err)
	}
	if _, err := db.Write().ExecContext(ctx, `UPDATE sessions SET replaced_password_hash = NULL
		WHERE replaced_password_hash IS NOT NULL
		AND user_id IN (SELECT id FROM users WHERE password_changed_at < $1)`, now.Add(-RepeatWindow).UTC()); err != nil {
		return n, fmt.Errorf("forget replaced password hashes: %w", err)
	}
	return n, nil
}

// PruneLoginFailures deletes the counts of failed logins that no longer
// count at now, and returns how many: no lock in force, and the window
// of their first failure over (countAttempt starts such a count afresh,
// as it does without a row). Every username tried, an account's or
// not, leaves one otherwise; the server's upkeep calls this.
func PruneLoginFailures(ctx context.Context, db *sqldb.DB, now time.Time) (int64, error) {
	n, err := deleteChunks(ctx, db, "login_failures", "username",
		"first_at < $1 AND (locked_until IS NULL OR locked_until <= $2)", now.Add(-LoginWindow).UTC(), now.UTC())
	if err != nil {
		return n, fmt.Errorf("delete counts of failed logins: %w", err)
	}
	return n, nil
}

// deleteChunks deletes the rows of table (whose key is the column key)
// matching where, at most pruneChunk a statement, until none is left or
// ctx is done, and returns how many it deleted. args are where's; the
// chunk's size follows them. On PostgreSQL, rows another transaction
// holds (a login counting its failure, another server pruning) are
// skipped rather than waited for: they are deleted on a later pass if
// they still match.
func deleteChunks(ctx context.Context, db *sqldb.DB, table, key, where string, args ...any) (int64, error) {
	lock := ""
	if db.Dialect == sqldb.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	q := fmt.Sprintf(`DELETE FROM %s WHERE %s IN (SELECT %s FROM %s WHERE %s LIMIT $%d%s)`,
		table, key, key, table, where, len(args)+1, lock)
	args = append(args, pruneChunk)
	var total int64
	for {
		res, err := db.Write().ExecContext(ctx, q, args...)
		if err != nil {
			return total, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += n
		if n < int64(pruneChunk) {
			return total, nil
		}
	}
}
