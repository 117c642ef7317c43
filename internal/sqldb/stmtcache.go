package sqldb

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
)

// stmtCache is a Querier over a pool that keeps its queries prepared, the
// most recently used up to a bound. The SQLite driver prepares every query
// it is given anew, and parsing and planning cost about a third of a
// typical read's CPU; database/sql's Stmt prepares once per connection of
// the pool and reuses that. PostgreSQL's driver caches its statements
// itself, so only SQLite's readers use this.
type stmtCache struct {
	db  *sql.DB
	max int

	mu  sync.Mutex
	m   map[string]*list.Element // of *cached
	lru list.List                // most recently used first
}

type cached struct {
	query   string
	st      *sql.Stmt
	users   int  // calls running on st
	evicted bool // close st when the last call ends
}

// maxCachedStmts bounds the cached queries: most are constant text, but a
// few are built with lists or limits of varying length.
const maxCachedStmts = 256

func newStmtCache(db *sql.DB, max int) *stmtCache {
	return &stmtCache{db: db, max: max, m: map[string]*list.Element{}}
}

// acquire returns query's statement, prepared now if it was not, with a
// user counted until release.
func (c *stmtCache) acquire(ctx context.Context, query string) (*cached, error) {
	c.mu.Lock()
	if s := c.useLocked(query); s != nil {
		c.mu.Unlock()
		return s, nil
	}
	c.mu.Unlock()
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.useLocked(query); s != nil { // prepared meanwhile by another call
		st.Close()
		return s, nil
	}
	return c.addLocked(query, st, 1), nil
}

// addLocked caches st as query's statement with users users, evicting the
// least recently used beyond the bound.
func (c *stmtCache) addLocked(query string, st *sql.Stmt, users int) *cached {
	s := &cached{query: query, st: st, users: users}
	c.m[query] = c.lru.PushFront(s)
	if c.lru.Len() > c.max {
		old := c.lru.Remove(c.lru.Back()).(*cached)
		delete(c.m, old.query)
		old.evicted = true
		if old.users == 0 {
			old.st.Close()
		}
	}
	return s
}

// useLocked returns query's cached statement, if any, counting a user and
// marking it most recently used.
func (c *stmtCache) useLocked(query string) *cached {
	e, ok := c.m[query]
	if !ok {
		return nil
	}
	c.lru.MoveToFront(e)
	s := e.Value.(*cached)
	s.users++
	return s
}

// release ends a call on s. Rows still open keep the statement's
// connection themselves (database/sql closes it after them).
func (c *stmtCache) release(s *cached) {
	c.mu.Lock()
	s.users--
	last := s.users == 0 && s.evicted
	c.mu.Unlock()
	if last {
		s.st.Close()
	}
}

func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.db.ExecContext(ctx, query, args...)
}

func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := c.acquire(ctx, query)
	if err != nil {
		return nil, err
	}
	defer c.release(s)
	return s.st.QueryContext(ctx, args...)
}

func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := c.acquire(ctx, query)
	if err != nil {
		// A Row carrying the error, as the pool would return it.
		return c.db.QueryRowContext(ctx, query, args...)
	}
	defer c.release(s)
	return s.st.QueryRowContext(ctx, args...)
}

// writeStmts keeps the SQLite writer's statements prepared for its
// transactions. The writer is one connection, and a statement is prepared
// for the pool (a database/sql Stmt, which every later transaction on that
// connection reuses) only while no transaction holds it. So a transaction
// runs a query it finds unprepared as it is, and notes it; a query run so
// twice is prepared before the next transaction begins. Queries longer than
// maxPreparedQuery — INSERTs of many rows, whose texts vary with the
// number of rows — are never prepared: each would hold tens to thousands of
// KiB while cached.
type writeStmts struct {
	*stmtCache
	runs    map[string]runState // queries not prepared; guarded by mu
	pending []string            // queries to prepare; guarded by mu
}

// runState is what writeStmts knows of a query it has not prepared.
type runState int8

const (
	ranOnce      runState = iota + 1
	toPrepare             // ran twice: in pending
	unpreparable          // failed to prepare: runs as it is
)

// maxSeenStmts bounds writeStmts.runs; when full it starts afresh.
const maxSeenStmts = 1024

// maxPreparedQuery bounds the text of the writer's prepared queries: an
// audit round's INSERT of up to about 50 rows is prepared, one of 200 rows
// not.
const maxPreparedQuery = 2048

func newWriteStmts(db *sql.DB, max int) *writeStmts {
	return &writeStmts{stmtCache: newStmtCache(db, max), runs: map[string]runState{}}
}

// use returns query's statement, counting a user until release, or nil
// when it is not prepared, noting that it ran unprepared.
func (w *writeStmts) use(query string) *cached {
	if len(query) > maxPreparedQuery {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if s := w.useLocked(query); s != nil {
		return s
	}
	switch w.runs[query] {
	case 0:
		if len(w.runs) >= maxSeenStmts {
			clear(w.runs)
		}
		w.runs[query] = ranOnce
	case ranOnce:
		w.runs[query] = toPrepare
		w.pending = append(w.pending, query)
	}
	return nil
}

// preparePending prepares the queries that ran unprepared twice. It must
// be called while no transaction holds the writer, which it takes for the
// time of each prepare. A query that fails to prepare (its table created
// by a transaction that rolled back, or dropped since) is not tried again
// until runs starts afresh: it runs as it is.
func (w *writeStmts) preparePending(ctx context.Context) {
	w.mu.Lock()
	queries := w.pending
	w.pending = nil
	w.mu.Unlock()
	for _, q := range queries {
		st, err := w.db.PrepareContext(ctx, q)
		w.mu.Lock()
		switch _, ok := w.m[q]; {
		case err != nil && ctx.Err() != nil:
			// The transaction's wait ended first: prepared before another.
			w.pending = append(w.pending, q)
		case err != nil:
			w.runs[q] = unpreparable
		case ok:
			st.Close()
		default:
			delete(w.runs, q)
			w.addLocked(q, st, 0)
		}
		w.mu.Unlock()
	}
}
