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
package groupcommit

import "sync"

// Group runs rounds of items of type T by key K, each item answered with a
// result R.
type Group[K comparable, T, R any] struct {
	run func(k K, items []T) []R
	max int

	mu     sync.Mutex
	queues map[K]*queue[T, R]
}

type queue[T, R any] struct {
	waiting []*call[T, R]
	leading bool
}

type call[T, R any] struct {
	item T
	done chan outcome[R]
}

// outcome is a call's result, or the lead handed to its caller.
type outcome[R any] struct {
	r    R
	lead bool
}

// New returns a Group whose rounds are run by run, which returns one result
// per item, in order. max bounds the items of a round (0: no bound).
func New[K comparable, T, R any](max int, run func(k K, items []T) []R) *Group[K, T, R] {
	return &Group[K, T, R]{run: run, max: max, queues: map[K]*queue[T, R]{}}
}

// Do queues item under k and returns its result once its round has ended.
// It waits unconditionally: a caller gone would strand the lead, so run
// must not depend on any one caller's context.
func (g *Group[K, T, R]) Do(k K, item T) R {
	c := &call[T, R]{item: item, done: make(chan outcome[R], 1)}
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
			return o.r
		}
	} else {
		q.leading = true
		g.mu.Unlock()
	}
	g.lead(k, q, c)
	return (<-c.done).r
}

// lead runs rounds of q until own is done, then hands the lead to the first
// caller still waiting, or drops the idle queue.
func (g *Group[K, T, R]) lead(k K, q *queue[T, R], own *call[T, R]) {
	for done := false; !done; {
		g.mu.Lock()
		n := len(q.waiting)
		if g.max > 0 {
			n = min(n, g.max)
		}
		round := q.waiting[:n:n]
		q.waiting = q.waiting[n:]
		g.mu.Unlock()
		items := make([]T, n)
		for i, c := range round {
			items[i] = c.item
			done = done || c == own
		}
		rs := g.run(k, items)
		for i, c := range round {
			c.done <- outcome[R]{r: rs[i]}
		}
	}
	g.mu.Lock()
	if len(q.waiting) > 0 {
		q.waiting[0].done <- outcome[R]{lead: true}
	} else {
		delete(g.queues, k)
	}
	g.mu.Unlock()
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
