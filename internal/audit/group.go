package audit

import (
	"context"
	"sync"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Group appends audit rows that are the only write of their request — a
// read of a subject's data — many to a transaction (group commit): while
// one transaction commits, the rows of other requests queue, and the next
// transaction takes them all. Each caller returns once its row is committed
// (or the transaction failed, then with the error: fail closed), so no data
// is served before its audit row is durable; the rows are chained in the
// order the callers queued. There is no background goroutine: the first
// caller to find no transaction running leads, commits what has queued
// until its own row is in, then hands the lead to the next waiting caller.
type Group struct {
	db      *sqldb.DB
	mu      sync.Mutex
	queue   []*queued
	leading bool
}

type queued struct {
	ev   Event
	at   time.Time
	done chan result
}

// result is a queued row's outcome, or the lead handed to its caller.
type result struct {
	err  error
	lead bool
}

// NewGroup returns a Group writing to db.
func NewGroup(db *sqldb.DB) *Group { return &Group{db: db} }

// Record appends ev as Record does, in a transaction shared with other
// callers, and returns when it is committed.
func (g *Group) Record(ev Event, now time.Time) error {
	q := &queued{ev: ev, at: now, done: make(chan result, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, q)
	if g.leading {
		g.mu.Unlock()
		// Wait unconditionally: a caller gone would strand the lead.
		if r := <-q.done; !r.lead {
			return r.err
		}
	} else {
		g.leading = true
		g.mu.Unlock()
	}
	return g.lead(q)
}

// lead commits the queue in transactions until own is committed, then
// hands the lead to the first caller still waiting, if any.
func (g *Group) lead(own *queued) error {
	var mine error
	for done := false; !done; {
		g.mu.Lock()
		batch := g.queue
		g.queue = nil
		g.mu.Unlock()
		// A context of its own: a caller that went away must not fail the
		// others' rows, nor may the rows join a caller's transaction.
		ctx := context.Background()
		evs, ats := make([]Event, len(batch)), make([]time.Time, len(batch))
		for i, q := range batch {
			evs[i], ats[i] = q.ev, q.at
		}
		err := g.db.Tx(ctx, func(tx *sqldb.Tx) error { return appendAll(ctx, tx, evs, ats) })
		if e := errs.As(err); err != nil && (e == nil || e.Kind != errs.Unavailable) {
			err = unavailable(err)
		}
		for _, q := range batch {
			if q == own {
				mine, done = err, true
				continue
			}
			q.done <- result{err: err}
		}
	}
	g.mu.Lock()
	if len(g.queue) > 0 {
		g.queue[0].done <- result{lead: true}
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	return mine
}
