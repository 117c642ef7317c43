package records

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"sync"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Pushes applies operations pushed one at a time, in real time, many to a
// transaction (group commit). Each operation is applied or refused on its
// own, exactly as a batch of one would be, but while one transaction
// commits, the operations other requests push for the same entry, by the
// same pusher, queue and go into the next one: a provider's system pushing
// from many threads costs one commit per round instead of one per
// operation. The operations of a round are one batch (record_batches), so
// that history says which ones went in together. An operation refused
// does not refuse its neighbours: the round is rolled back to a savepoint
// and redone without it. Each caller returns once the round is committed,
// so nothing is acknowledged before it is durable.
//
// Queues are per entry: rounds of different entries run side by side
// (PostgreSQL commits them in parallel). One queue per pusher, its rounds
// spanning entries, measured slower on PostgreSQL (each entry's part
// costs its own round trips, now one after the other) and no faster on
// SQLite.
//
// There is no background goroutine: as in audit.Group, the first caller to
// find no transaction running for its entry and pusher leads, commits what
// has queued until its own operation is done, then hands the lead to the
// next waiting caller.
type Pushes struct {
	db  *sqldb.DB
	cal *calendar.Calendar
	now func() time.Time

	mu     sync.Mutex
	queues map[pushKey]*pushQueue
}

// maxRound bounds the operations of one transaction.
const maxRound = 1000

type pushKey struct {
	entryID int64
	by      Pusher
}

type pushQueue struct {
	ops     []*queuedOp
	leading bool
}

type queuedOp struct {
	op   Op
	done chan pushResult
}

// pushResult is a queued operation's outcome, or the lead handed to its
// caller.
type pushResult struct {
	res  BatchResult
	err  error
	lead bool
}

// NewPushes returns Pushes writing to db; cal (nil: calendar.Default())
// and now are those of Ingest.
func NewPushes(db *sqldb.DB, cal *calendar.Calendar, now func() time.Time) *Pushes {
	return &Pushes{db: db, cal: cal, now: now, queues: map[pushKey]*pushQueue{}}
}

// Push applies op to the entry and returns its result, a batch of one as
// Ingest reports it (BatchID is the round's batch). A refused operation is
// an error: the LineError's code, field and reason, a conflict for an
// operation the records refuse (record_exists, record_not_found,
// record_cancelled).
func (p *Pushes) Push(by Pusher, entryID int64, op Op) (BatchResult, error) {
	k := pushKey{entryID, by}
	q := &queuedOp{op: op, done: make(chan pushResult, 1)}
	p.mu.Lock()
	pq := p.queues[k]
	if pq == nil {
		pq = &pushQueue{}
		p.queues[k] = pq
	}
	pq.ops = append(pq.ops, q)
	if pq.leading {
		p.mu.Unlock()
		// Wait unconditionally: a caller gone would strand the lead.
		if r := <-q.done; !r.lead {
			return r.res, r.err
		}
	} else {
		pq.leading = true
		p.mu.Unlock()
	}
	p.lead(k, pq, q)
	r := <-q.done
	return r.res, r.err
}

// lead commits rounds of the queue until own is done, then hands the lead
// to the first caller still waiting, or drops the idle queue.
func (p *Pushes) lead(k pushKey, pq *pushQueue, own *queuedOp) {
	for done := false; !done; {
		p.mu.Lock()
		n := min(len(pq.ops), maxRound)
		round := pq.ops[:n:n]
		pq.ops = pq.ops[n:]
		p.mu.Unlock()
		for _, q := range round {
			done = done || q == own
		}
		p.commit(k, round)
	}
	p.mu.Lock()
	if len(pq.ops) > 0 {
		pq.ops[0].done <- pushResult{lead: true}
	} else {
		delete(p.queues, k)
	}
	p.mu.Unlock()
}

// commit applies a round in one transaction and answers each operation
// once it has ended.
func (p *Pushes) commit(k pushKey, round []*queuedOp) {
	// A context of its own: a caller that went away must not fail the
	// others' operations.
	ctx := context.Background()
	// The entry is read before the transaction, which on SQLite holds
	// the one writer.
	t, err := prepare(ctx, p.db.Read(), k.by, k.entryID, p.cal)
	now := p.now().UTC().Truncate(time.Microsecond)
	answers := make(map[*queuedOp]pushResult, len(round))
	if err == nil {
		err = p.db.TxRaw(ctx, func(tx *sqldb.Tx, raw func(func(any) error) error) error {
			return p.apply(ctx, tx, raw, t, k.by, round, now, answers)
		})
	}
	for _, q := range round {
		r, ok := answers[q]
		switch {
		case err != nil:
			r = pushResult{err: err}
		case !ok: // never expected: every operation of a round is answered
			r = pushResult{err: errors.New("push round: operation left unanswered")}
		}
		q.done <- r
	}
}

// apply applies a round under a savepoint, and notes each operation's
// answer. A refused operation is answered and the rest redone without it:
// a refused operation changes no record, so the redo refuses nothing new.
// It returns an error only when the transaction itself fails.
func (p *Pushes) apply(ctx context.Context, tx *sqldb.Tx, raw func(func(any) error) error, t *target, by Pusher,
	ops []*queuedOp, now time.Time, answers map[*queuedOp]pushResult) error {
	fail := func(err error) {
		for _, q := range ops {
			answers[q] = pushResult{err: err}
		}
	}
	for len(ops) > 0 {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT push`); err != nil {
			return err
		}
		res := BatchResult{EntryID: t.e.ID, ReceivedAt: now}
		err := t.apply(ctx, tx, raw, by, &opList{round: ops}, &res, Options{PerOp: true})
		if err == nil {
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT push`); err != nil {
				return err
			}
			for _, o := range res.Ops {
				one := BatchResult{BatchID: res.BatchID, EntryID: t.e.ID, Lines: 1, FirstSeq: o.Seq, LastSeq: o.Seq, ReceivedAt: now}
				switch {
				case o.Duplicate:
					one.Duplicates = 1
				case o.Late:
					one.Applied, one.Late = 1, 1
				default:
					one.Applied = 1
				}
				answers[ops[o.Line-1]] = pushResult{res: one}
			}
			return nil
		}
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT push`); rerr != nil {
			return rerr
		}
		if !errors.Is(err, errRejected) {
			fail(err)
			return nil
		}
		// Only the refused lines count as checked: the rest are redone.
		if err := countRejected(ctx, tx, t.e, res.RejectedCount, res.RejectedCount); err != nil {
			return err
		}
		refused := make(map[int]LineError, len(res.Rejected))
		for _, le := range res.Rejected {
			refused[le.Line] = le
		}
		rest := ops[:0:0]
		for i, q := range ops {
			if le, ok := refused[i+1]; ok {
				answers[q] = pushResult{err: le.Err()}
			} else {
				rest = append(rest, q)
			}
		}
		if len(rest) == len(ops) {
			// Refused lines that are none of the round's: never expected,
			// but a round must not be redone forever.
			fail(fmt.Errorf("push round: %d operations refused, none of them by line", res.RejectedCount))
			return nil
		}
		ops = rest
	}
	return nil
}

// opList is the Source of a round: line i+1 is round[i]. Values are
// copied, as normalising rewrites them and a round may be read again.
type opList struct {
	round []*queuedOp
	next  int
}

func (l *opList) Next(op *Op) (int, error) {
	if l.next == len(l.round) {
		return l.next, io.EOF
	}
	*op = l.round[l.next].op
	op.Values = maps.Clone(op.Values)
	l.next++
	return l.next, nil
}

// Err returns the line's refusal as an error: invalid, or a conflict when
// the records refuse the operation.
func (le LineError) Err() error {
	e := errs.Field(le.Field, le.Code, le.Reason)
	switch le.Code {
	case "record_exists", "record_not_found", "record_cancelled":
		e.Kind = errs.Conflict
	}
	return e
}
