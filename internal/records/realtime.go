package records

import (
	"context"
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
// operation. An operation refused does not refuse its neighbours: the
// transaction is rolled back and redone without it. Each caller returns
// once its operation is committed, so nothing is acknowledged before it is
// durable. The operations of one round are one batch (record_batches), so
// that history says which ones went in together.
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

// commit applies a round in one transaction and answers each operation.
// Refused operations are answered and taken out, and the rest redone: the
// records they leave may refuse an operation after them in the round, so
// this repeats until nothing is refused.
func (p *Pushes) commit(k pushKey, round []*queuedOp) {
	// A context of its own: a caller that went away must not fail the
	// others' operations.
	ctx := context.Background()
	for len(round) > 0 {
		res, err := Ingest(ctx, p.db, k.by, k.entryID, &opList{round: round}, p.now(),
			Options{Calendar: p.cal, PerOp: true})
		if err != nil {
			for _, q := range round {
				q.done <- pushResult{err: err}
			}
			return
		}
		if res.RejectedCount == 0 {
			for _, o := range res.Ops {
				one := BatchResult{BatchID: res.BatchID, EntryID: res.EntryID, Lines: 1, FirstSeq: o.Seq, LastSeq: o.Seq,
					ReceivedAt: res.ReceivedAt}
				switch {
				case o.Duplicate:
					one.Duplicates = 1
				case o.Late:
					one.Applied, one.Late = 1, 1
				default:
					one.Applied = 1
				}
				round[o.Line-1].done <- pushResult{res: one}
			}
			return
		}
		refused := make(map[int]LineError, len(res.Rejected))
		for _, le := range res.Rejected {
			refused[le.Line] = le
		}
		rest := round[:0:0]
		for i, q := range round {
			if le, ok := refused[i+1]; ok {
				q.done <- pushResult{err: le.Err()}
			} else {
				rest = append(rest, q)
			}
		}
		if len(rest) == len(round) {
			// Refused lines that are none of the round's: never expected,
			// but a round must not be redone forever.
			err := fmt.Errorf("push round: %d operations refused, none of them by line", res.RejectedCount)
			for _, q := range round {
				q.done <- pushResult{err: err}
			}
			return
		}
		round = rest
	}
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
