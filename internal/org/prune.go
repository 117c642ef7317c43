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

// PruneMargin is how long past its expiry a session, or past its lock and
// window a count of failed logins, is kept before the upkeep deletes it.
// The expiry is judged exactly where a session or lock is used (SessionUser,
// Login); the upkeep deletes for good, so it waits out any clock error: a
// server whose clock is ahead (a wrong hardware clock at boot, an NTP
// correction still to come, one of several servers over one database)
// would otherwise delete sessions still valid by the right time, logging
// everyone out, and locks still in force. records.PruneMargin is this
// margin, for the keys of unchanged record changes.
const PruneMargin = 24 * time.Hour

// PruneSessions deletes the sessions expired more than PruneMargin before
// now, which SessionUser refuses, and returns how many. A staff member who
// closes the browser instead of logging out leaves a row for every login;
// the server's upkeep calls this. It also forgets the password hash an own change
// replaced (ChangePassword) on the session that made the change once the
// account's password is older than RepeatWindow, when it can no longer
// recognise the change sent again: it was kept for the session's life.
func PruneSessions(ctx context.Context, db *sqldb.DB, now time.Time) (int64, error) {
	n, err := deleteChunks(ctx, db, "sessions", "token_hash", "expires_at < $1", now.Add(-PruneMargin).UTC())
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

// PruneLoginFailures deletes the counts of failed logins that have not
// counted for PruneMargin before now, and returns how many: no lock in
// force, and the window of their first failure over (countAttempt starts
// such a count afresh, as it does without a row). Every username tried,
// an account's or not, leaves one otherwise; the server's upkeep calls
// this.
func PruneLoginFailures(ctx context.Context, db *sqldb.DB, now time.Time) (int64, error) {
	n, err := deleteChunks(ctx, db, "login_failures", "username",
		"first_at < $1 AND (locked_until IS NULL OR locked_until <= $2)",
		now.Add(-LoginWindow-PruneMargin).UTC(), now.Add(-PruneMargin).UTC())
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
