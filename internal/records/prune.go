package records

import (
	"context"
	"fmt"
	"time"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// DefaultUnchangedKeyRetention is how long the key of a change
// acknowledged as unchanged is kept unless the server is told otherwise.
const DefaultUnchangedKeyRetention = 30 * 24 * time.Hour

// PruneMargin is how long past its retention the key of an unchanged
// change is kept before the upkeep deletes it (the cutoff the server
// passes PruneUnchangedKeys is its retention and PruneMargin before now).
// It is org.PruneMargin, the one allowance the upkeep makes for a clock
// error before it deletes for good: a clock that is ahead (a wrong
// hardware clock at boot, an NTP correction still to come, one of several
// servers over one database) would otherwise delete keys still within
// their retention by the right time, and a source resending such a change
// would have it applied again as new. A day of 30 adds a thirtieth to the
// keys kept.
const PruneMargin = org.PruneMargin

// pruneBatch is how many keys one statement of PruneUnchangedKeys deletes:
// each is a short transaction of its own, so that a backlog (the first
// pass after an upgrade) never holds the writer or many row locks for
// long. A variable for the tests.
var pruneBatch = 1000

// PruneUnchangedKeys deletes the keys of changes acknowledged as
// unchanged (record_unchanged_keys) kept before cutoff, oldest first, a
// statement of at most pruneBatch keys at a time, until none is left or
// ctx is done, and returns how many it deleted. A change resent under a
// deleted key is then a new operation. On PostgreSQL, servers pruning at
// the same time skip each other's rows rather than wait for them.
//
// A batch that looked a key up before it was deleted still takes the
// change resent as a duplicate; one that looks it up after applies it as
// new: either is right once the key is past its retention.
func PruneUnchangedKeys(ctx context.Context, db *sqldb.DB, cutoff time.Time) (int64, error) {
	lock := ""
	if db.Dialect == sqldb.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	q := `DELETE FROM record_unchanged_keys WHERE (entry_id, subject_id, op_key) IN (
		SELECT entry_id, subject_id, op_key FROM record_unchanged_keys WHERE kept_at < $1 ORDER BY kept_at LIMIT $2` + lock + `)`
	var total int64
	for {
		res, err := db.Write().ExecContext(ctx, q, cutoff.UTC(), pruneBatch)
		if err != nil {
			return total, fmt.Errorf("prune keys of unchanged changes: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += n
		if n < int64(pruneBatch) {
			return total, nil
		}
	}
}
