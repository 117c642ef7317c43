package audit

import (
	"context"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/groupcommit"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Group appends audit rows that are the only write of their request — a
// read of a subject's data — many to a transaction (group commit,
// groupcommit.Group): while one transaction commits, the rows of other
// requests queue, and the next transaction takes them all. Each caller
// returns once its row is committed (or the transaction failed, then with
// the error: fail closed), so no data is served before its audit row is
// durable; the rows are chained in the order the callers queued.
type Group struct {
	rounds *groupcommit.Group[struct{}, queued, error]
}

// queued is one caller's rows.
type queued struct {
	evs []Event
	at  time.Time
}

// roundTimeout bounds a caller's wait, queued and in its round:
// groupcommit.RoundTimeout, shortened by tests.
var roundTimeout = groupcommit.RoundTimeout

// NewGroup returns a Group writing to db.
func NewGroup(db *sqldb.DB) *Group {
	return &Group{rounds: groupcommit.New(0, roundTimeout, func(ctx context.Context, _ struct{}, rows []queued) []error {
		// The round's context, not a caller's: a caller that went away
		// must not fail the others' rows, nor may the rows join a caller's
		// transaction. It ends at the first caller's deadline: a round
		// that cannot commit in time (audit_head locked by another
		// session, a stalled connection, on SQLite the writer held by
		// another transaction) rolls back, storing none of its rows, and
		// fails every caller's read with database_unavailable (busy).
		var evs []Event
		var ats []time.Time
		for _, q := range rows {
			for _, ev := range q.evs {
				evs, ats = append(evs, ev), append(ats, q.at)
			}
		}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error { appendAll(tx, evs, ats); return nil })
		noteRound(db, err) // for readiness (CheckWritable)
		if e := errs.As(err); err != nil && (e == nil || e.Kind != errs.Unavailable) {
			err = unavailable(err)
		}
		out := make([]error, len(rows))
		for i := range out {
			out[i] = err
		}
		return out
	})}
}

// Record appends ev as Record does, in a transaction shared with other
// callers, and returns when it is committed.
func (g *Group) Record(ev Event, now time.Time) error {
	return g.RecordAll([]Event{ev}, now)
}

// RecordAll appends evs, in order, as Record does: one read of many
// subjects' data writes a row for each, all in one round.
func (g *Group) RecordAll(evs []Event, now time.Time) error {
	// Refused before it joins a round, which it would fail whole.
	if err := refuseCrossSite(evs); err != nil {
		return err
	}
	if len(evs) == 0 {
		return nil
	}
	return g.rounds.Do(struct{}{}, queued{evs: evs, at: now})
}
