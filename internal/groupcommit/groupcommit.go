// Package groupcommit runs the work of concurrent callers in shared rounds,
// typically one transaction each (group commit): while one round runs, the
// items other callers bring queue, and the next round takes them all. Each
// caller returns with its own item's result once the round that ran it has
// ended, so a caller is never answered before its work is durable.
//
// There is no background goroutine: the first caller to find no round
// running for its key leads, runs rounds until its own item is done, then
// hands the lead to the first caller still waiting. Items of different keys
// never share a round, and their rounds run side by side.
//
// A round whose run panics hands the lead on all the same: its leader's
// call panics again, and every other call of the round panics with an
// error saying so (a PanicError), so that each caller's request fails as
// any panic fails it, and later calls for the key are not stranded.
package groupcommit

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// RoundTimeout bounds the wait of a call whose round is a database
// transaction (audit.Group, records.Pushes), from the moment it queues.
// Do waits for its round unconditionally, so a round that never ends (a
// row lock another session holds, a stalled connection: PostgreSQL sets no
// lock or statement timeout) would hold its callers, and every caller
// queued behind them, for ever; the round's context ends it instead, and
// its callers fail with a 503. The bound counts from the call's queueing,
// not from its round's start: the time spent queued behind a running
// round, or behind rounds of max items ahead of it, is part of it (see
// New). 15 s is above SQLite's busy_timeout (10 s), so that a lock held by
// another process is still reported by SQLite itself to a call whose round
// starts at once, and below the 20 s a shutting-down server grants
// requests in flight, so that a request held by a round is answered before
// the server gives up on it and closes the database.
const RoundTimeout = 15 * time.Second

// Group runs rounds of items of type T by key K, each item answered with a
// result R.
type Group[K comparable, T, R any] struct {
	run     func(ctx context.Context, k K, items []T) []R
	max     int
	timeout time.Duration

	mu     sync.Mutex
	queues map[K]*queue[T, R]
}

type queue[T, R any] struct {
	waiting []*call[T, R]
	leading bool
}

type call[T, R any] struct {
	item     T
	deadline time.Time // queued + the Group's timeout
	done     chan outcome[R]
}

// outcome is a call's result, or the lead handed to its caller, or the
// panic of its round's run.
type outcome[R any] struct {
	r        R
	lead     bool
	panicked *PanicError
}

// result returns o's result, or panics with its round's panic.
func (o outcome[R]) result() R {
	if o.panicked != nil {
		panic(o.panicked)
	}
	return o.r
}

// PanicError is the panic of a call whose round's run panicked while
// another caller led it.
type PanicError struct {
	Value any // the run's panic
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("groupcommit: the round of this call panicked: %v", e.Value)
}

// New returns a Group whose rounds are run by run, which returns one result
// per item, in order. max bounds the items of a round (0: no bound).
//
// timeout bounds each call's wait from the moment it queues: run gets a
// context that ends at the earliest deadline (queued + timeout) of its
// round's items, and must return once it ends, answering the items it did
// not finish with an error. A round's items queued in order, so its first
// item's deadline is that; a call queued behind a running round, or
// behind rounds of max items, has the time left of its own deadline, not
// a round's worth after theirs. A round is never run for a call whose
// deadline passed while it queued together with calls whose deadline has
// not: the calls expired form a round of their own, whose context has
// ended, so run answers them at once. A call thus returns within timeout
// of queueing, plus the time run takes to return once its context ends,
// for its round and each round still ahead of it.
func New[K comparable, T, R any](max int, timeout time.Duration, run func(ctx context.Context, k K, items []T) []R) *Group[K, T, R] {
	return &Group[K, T, R]{run: run, max: max, timeout: timeout, queues: map[K]*queue[T, R]{}}
}

// Do queues item under k and returns its result once its round has ended,
// within the Group's timeout (New). It does not take the caller's context:
// an item once taken into a round is answered by that round, and run must
// not depend on any one caller's context.
func (g *Group[K, T, R]) Do(k K, item T) R {
	c := &call[T, R]{item: item, deadline: time.Now().Add(g.timeout), done: make(chan outcome[R], 1)}
	g.mu.Lock()
	q := g.queues[k]
	if q == nil {
		q = &queue[T, R]{}
		g.queues[k] = q
	}
	q.waiting = append(q.waiting, c)
	if q.leading {
		g.mu.Unlock()
		if o := <-c.done; !o.lead {
			return o.result()
		}
	} else {
		q.leading = true
		g.mu.Unlock()
	}
	g.lead(k, q, c)
	return (<-c.done).result()
}

// lead runs rounds of q until own is done, then hands the lead to the first
// caller still waiting, or drops the idle queue. If run panics, the other
// calls of the round are answered with the panic, own is dropped from the
// queue if it was not in the round, the lead is handed on, and lead panics
// again.
func (g *Group[K, T, R]) lead(k K, q *queue[T, R], own *call[T, R]) {
	var round []*call[T, R] // the round running, unanswered
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		for _, c := range round {
			if c != own {
				c.done <- outcome[R]{panicked: &PanicError{Value: p}}
			}
		}
		g.mu.Lock()
		for i, c := range q.waiting {
			if c == own {
				q.waiting = append(q.waiting[:i:i], q.waiting[i+1:]...)
				break
			}
		}
		g.mu.Unlock()
		g.handOn(k, q)
		panic(p)
	}()
	for done := false; !done; {
		g.mu.Lock()
		n := len(q.waiting)
		if g.max > 0 {
			n = min(n, g.max)
		}
		// The calls whose deadline passed, if the first has, go alone.
		now := time.Now()
		if expired := !now.Before(q.waiting[0].deadline); expired {
			for i, c := range q.waiting[:n] {
				if now.Before(c.deadline) {
					n = i
					break
				}
			}
		}
		round = q.waiting[:n:n]
		q.waiting = q.waiting[n:]
		g.mu.Unlock()
		items := make([]T, n)
		deadline := round[0].deadline
		for i, c := range round {
			items[i] = c.item
			done = done || c == own
			if c.deadline.Before(deadline) {
				deadline = c.deadline
			}
		}
		rs := g.runRound(deadline, k, items)
		if len(rs) != n {
			panic(fmt.Sprintf("groupcommit: run returned %d results for %d items", len(rs), n))
		}
		for i, c := range round {
			c.done <- outcome[R]{r: rs[i]}
		}
		round = nil
	}
	g.handOn(k, q)
}

// runRound runs a round whose context ends at deadline.
func (g *Group[K, T, R]) runRound(deadline time.Time, k K, items []T) []R {
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	return g.run(ctx, k, items)
}

// handOn hands the lead of q to the first caller still waiting, or drops
// the idle queue.
func (g *Group[K, T, R]) handOn(k K, q *queue[T, R]) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(q.waiting) > 0 {
		q.waiting[0].done <- outcome[R]{lead: true}
	} else {
		delete(g.queues, k)
	}
}

// Queue reports whether a caller leads k's queue and how many items wait
// for a round.
func (g *Group[K, T, R]) Queue(k K) (leading bool, waiting int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if q := g.queues[k]; q != nil {
		return q.leading, len(q.waiting)
	}
	return false, 0
}
