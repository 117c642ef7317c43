package sqldb

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Deferred is a row a transaction would update again and again — a
// sequence, a counter — or rows it would write as it goes and hold
// locked until it commits — the audit log's rows, whose head they update
// — kept in memory instead from its first use, and written once, by
// Flush, before the transaction commits.
// On PostgreSQL every update of a row adds a version of it that the
// transaction's later reads and updates of the row step past, one by one,
// until it commits: a catalog import updating the audit head twice for
// each of its entries slowed down entry by entry (under 40 rows/s after
// 18,000 entries). A Deferred is a value, never changed in place: a
// transaction keeps the one its savepoints had, so that rolling back to one
// takes the rows' values back with everything else the savepoint undoes.
type Deferred interface {
	// Flush writes the value to its row (or rows) in tx.
	Flush(ctx context.Context, tx *Tx) error
}

// Final is a Deferred flushed after every other one, whatever their first
// use: the audit log's rows (audit.pending), whose head every transaction
// appending rows locks, so that it holds that lock for the shortest time
// and takes it after the rows the others lock, in every transaction
// alike, rather than, when the rows came first, before them.
type Final interface {
	Deferred
	// FlushesLast marks the Deferred as Final; it is never called.
	FlushesLast()
}

// deferredState is a transaction's Deferreds, by key, in the order of
// their first use, which is the order they are flushed in, Finals last.
type deferredState struct {
	keys []any
	vals map[any]Deferred
}

func (s deferredState) clone() deferredState {
	if s.vals == nil {
		return s
	}
	vals := make(map[any]Deferred, len(s.vals))
	for k, v := range s.vals {
		vals[k] = v
	}
	return deferredState{keys: slices.Clone(s.keys), vals: vals}
}

// savepointMark is the Deferreds of a transaction when it set a savepoint,
// and how many of its Once runs were done.
type savepointMark struct {
	name  string
	state deferredState
	done  int
}

// Deferred returns the value kept for key in tx (SetDeferred), or nil when
// the transaction has not used the row yet, or has rolled back to a
// savepoint set before its first use.
func (tx *Tx) Deferred(key any) Deferred { return tx.deferred.vals[key] }

// SetDeferred keeps v for key: it is flushed before tx commits, after the
// values of keys used before it (a Final after all). A row concurrent
// transactions must wait for from the caller's first use of it on (a
// sequence's) must have been locked then (an UPDATE of it), as a write of
// it would; rows that need no lock before they are written (the audit
// log's) are locked by their Flush, for the commit's last moment only.
func (tx *Tx) SetDeferred(key any, v Deferred) {
	if tx.deferred.vals == nil {
		tx.deferred.vals = map[any]Deferred{}
	}
	if _, ok := tx.deferred.vals[key]; !ok {
		tx.deferred.keys = append(tx.deferred.keys, key)
	}
	tx.deferred.vals[key] = v
}

// FlushDeferred writes the Deferreds of tx to their rows, for a read in tx
// of those rows: each is flushed once, and used again it is read from its
// row again. DB.Tx calls it before committing.
func (tx *Tx) FlushDeferred(ctx context.Context) error {
	d := tx.deferred
	tx.deferred = deferredState{}
	for _, final := range []bool{false, true} {
		for _, k := range d.keys {
			v := d.vals[k]
			if _, ok := v.(Final); ok != final {
				continue
			}
			if err := v.Flush(ctx, tx); err != nil {
				return fmt.Errorf("sqldb: write deferred rows: %w", err)
			}
		}
	}
	return nil
}

// savepointStmt matches the statements that set, roll back to and release
// a savepoint, in both engines' words, with the savepoint's name.
var savepointStmt = regexp.MustCompile(`(?i)^\s*(?:(SAVEPOINT)|(ROLLBACK)(?:\s+(?:TRANSACTION|WORK))?\s+TO(?:\s+SAVEPOINT)?|(RELEASE)(?:\s+SAVEPOINT)?)\s+("[^"]*"|\w+)\s*;?\s*$`)

// noteSavepoint follows the savepoints query sets, rolls back to or
// releases, once it has run, so that the Deferreds go back with the rows:
// a rollback to a savepoint gives back the values of when it was set, and
// forgets the runs of Once since.
func (tx *Tx) noteSavepoint(query string) {
	if q := strings.TrimSpace(query); len(q) > 200 || q == "" || !strings.ContainsRune("SsRr", rune(q[0])) {
		return
	}
	m := savepointStmt.FindStringSubmatch(query)
	if m == nil {
		return
	}
	name := strings.ToLower(m[4])
	if strings.HasPrefix(m[4], `"`) {
		name = m[4]
	}
	if m[1] != "" {
		tx.savepoints = append(tx.savepoints, savepointMark{name: name, state: tx.deferred.clone(), done: len(tx.done)})
		return
	}
	i := len(tx.savepoints) - 1
	for i >= 0 && tx.savepoints[i].name != name {
		i--
	}
	if i < 0 {
		return // no such savepoint: the statement failed
	}
	if m[2] != "" {
		// The savepoint stays, for another rollback to it.
		tx.deferred = tx.savepoints[i].state.clone()
		tx.done = tx.done[:tx.savepoints[i].done]
		tx.savepoints = tx.savepoints[:i+1]
		return
	}
	tx.savepoints = tx.savepoints[:i]
}
