package records

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/groupcommit"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Pushes applies operations pushed one at a time, in real time, many to a
// transaction (group commit, groupcommit.Group). Each operation is applied
// or refused on its own, exactly as a batch of one would be, but while one
// transaction commits, the operations other requests push for the same
// entry, by the same pusher, queue and go into the next one: a provider's
// system pushing from many threads costs one commit per round instead of
// one per operation. The operations of a round are one batch
// (record_batches), so that history says which ones went in together. An
// operation refused does not refuse its neighbours: the round is rolled
// back to a savepoint and redone without it. Each caller returns once the
// round is committed, so nothing is acknowledged before it is durable.
//
// Queues are per entry: rounds of different entries run side by side
// (PostgreSQL commits them in parallel). One queue per pusher, its rounds
// spanning entries, measured slower on PostgreSQL (each entry's part
// costs its own round trips, now one after the other) and no faster on
// SQLite.
type Pushes struct {
	db     *sqldb.DB
	cal    *calendar.Calendar
	now    func() time.Time
	rounds *groupcommit.Group[pushKey, Op, pushResult]
}

// maxRound bounds the operations of one transaction.
const maxRound = 1000

// roundTimeout bounds a push's wait, queued and in its round, the round's
// retries included: groupcommit.RoundTimeout, shortened by tests.
var roundTimeout = groupcommit.RoundTimeout

type pushKey struct {
	entryID int64
	by      Pusher
}

type pushResult struct {
	res BatchResult
	err error
}

// NewPushes returns Pushes writing to db; cal (nil: calendar.Default())
// and now are those of Ingest.
func NewPushes(db *sqldb.DB, cal *calendar.Calendar, now func() time.Time) *Pushes {
	p := &Pushes{db: db, cal: cal, now: now}
	p.rounds = groupcommit.New(maxRound, roundTimeout, p.commit)
	return p
}

// Push applies op to the entry and returns its result, a batch of one as
// Ingest reports it (BatchID is the round's batch). op.ReceivedAt is when
// it was received (the request's arrival); zero, it is now, before the
// operation queues for its round. A refused operation is
// an error: the LineError's code, field and reason, a conflict for an
// operation the records refuse (record_exists, record_not_found,
// record_cancelled; out_of_order, produced before the record's current
// version; subject_ambiguous, a permit's lifetime number that begins the
// whole numbers of several records) or whose key was applied before to the record for another
// operation (idempotency_key_reused).
func (p *Pushes) Push(by Pusher, entryID int64, op Op) (BatchResult, error) {
	if op.ReceivedAt.IsZero() {
		op.ReceivedAt = p.now()
	}
	op.ReceivedAt = op.ReceivedAt.UTC().Truncate(time.Microsecond)
	r := p.rounds.Do(pushKey{entryID, by}, op)
	return r.res, r.err
}

// commit applies a round in one transaction and answers each operation.
func (p *Pushes) commit(ctx context.Context, k pushKey, round []Op) []pushResult {
	// The round's context, not a caller's: a caller that went away must
	// not fail the others' operations. It ends at the first operation's
	// deadline (roundTimeout after it was pushed): a round that cannot
	// commit in time (a row it writes, such as audit_head, locked by
	// another session, a stalled connection, on SQLite the writer held by
	// another transaction) rolls back and answers every operation with
	// database_unavailable (503): none is acknowledged, and the source
	// sends them again.
	out := make([]pushResult, len(round))
	fail := func(err error) []pushResult {
		if ctx.Err() != nil {
			err = errs.Wrap(errs.Unavailable, "database_unavailable", "数据库繁忙，推送未能在限定时间内写入，请稍后重试", err)
		}
		for i := range out {
			out[i] = pushResult{err: err}
		}
		return out
	}
	// The entry is read before the transaction, which on SQLite holds
	// the one writer.
	t, err := prepare(ctx, p.db.Read(), k.by, k.entryID, p.cal)
	if err != nil {
		return fail(err)
	}
	// The round's batch is received when its first operation was; each
	// operation keeps its own time of receipt.
	now := round[0].ReceivedAt
	for _, op := range round[1:] {
		if op.ReceivedAt.Before(now) {
			now = op.ReceivedAt
		}
	}
	// The credentials of the round's operations are checked as it
	// commits, at p.now's time then, a session's expiry at the round's
	// first arrival (audit.WithClock); the round's one records.batch
	// audit row is dated by p.now as it is written (audit.Now), not by
	// any operation's arrival.
	ctx = audit.WithClock(ctx, now, p.now)
	// When PostgreSQL aborts the round for a deadlock (its cross-check
	// waits for a batch of an entry carrying the same facts, whose chunks
	// are each in subject order but not all together) or a serialization
	// failure, the round is applied again, as IngestSpooled does a batch.
	// So is a round that finds, in its transaction, a version of the entry
	// approved since it was read (recheck): checked again against it.
	for try := 1; ; try++ {
		clear(out)
		err = p.db.TxRaw(ctx, func(tx *sqldb.Tx, raw func(func(any) error) error) error {
			return p.apply(ctx, tx, raw, t, round, now, out)
		})
		if try < retries && errors.Is(err, errVersionChanged) {
			if t, err = prepare(ctx, p.db.Read(), k.by, k.entryID, p.cal); err != nil {
				break
			}
			continue
		}
		if try == retries || !sqldb.IsRetryable(err) {
			break
		}
		if pauseBeforeRetry(ctx, try) != nil {
			break
		}
	}
	if err != nil {
		return fail(err)
	}
	for i, r := range out {
		if r.err == nil && r.res.Lines == 0 { // never expected: every operation of a round is answered
			out[i] = pushResult{err: errors.New("push round: operation left unanswered")}
		}
	}
	return out
}

// apply applies a round under a savepoint, and notes each operation's
// answer in out. A refused operation is answered and the rest redone
// without it: a refused operation changes no record, so the redo refuses
// nothing new. It returns an error only when the transaction itself fails,
// or PostgreSQL aborted it for a deadlock or a serialization failure.
func (p *Pushes) apply(ctx context.Context, tx *sqldb.Tx, raw func(func(any) error) error, t *target, round []Op,
	now time.Time, out []pushResult) error {
	// left holds the positions in round of the operations still to apply.
	left := make([]int, len(round))
	// counted holds the round's refusals counted: the same operation
	// refused twice in a round is counted once, however many the round
	// refuses.
	counted := map[string]bool{}
	for i := range left {
		left[i] = i
	}
	for len(left) > 0 {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT push`); err != nil {
			return err
		}
		res := BatchResult{EntryID: t.e.ID, ReceivedAt: now}
		err := t.apply(ctx, tx, raw, &opList{round: round, left: left}, &res, Options{PerOp: true})
		if err == nil {
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT push`); err != nil {
				return err
			}
			warned := warningsByLine(res.Warnings)
			for _, o := range res.Ops {
				one := BatchResult{BatchID: res.BatchID, EntryID: t.e.ID, Lines: 1, FirstSeq: o.Seq, LastSeq: o.Seq,
					ReceivedAt: round[left[o.Line-1]].ReceivedAt}
				switch {
				case o.Duplicate:
					one.Duplicates = 1
				case o.Unchanged:
					one.Unchanged = 1
				case o.Late:
					one.Applied, one.Late, one.LateRule = 1, 1, t.rule.Why()
				default:
					one.Applied = 1
				}
				one.Warnings = warned[o.Line]
				one.WarningCount = len(one.Warnings)
				out[left[o.Line-1]] = pushResult{res: one}
			}
			return nil
		}
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT push`); rerr != nil {
			return rerr
		}
		if sqldb.IsRetryable(err) || errors.Is(err, errVersionChanged) {
			return err // the whole round is applied again (commit)
		}
		if !errors.Is(err, errRejected) {
			for _, i := range left {
				out[i] = pushResult{err: err}
			}
			return nil
		}
		// A line lists every field's error; its push is answered with
		// the first, as errs.As finds it for callers of one error.
		refused := make(map[int]LineError, len(res.Rejected))
		for _, le := range res.Rejected {
			if _, seen := refused[le.Line]; !seen {
				refused[le.Line] = le
			}
		}
		rest := left[:0:0]
		for line, i := range left {
			le, ok := refused[line+1]
			if !ok {
				rest = append(rest, i)
				continue
			}
			out[i] = pushResult{err: le.Err()}
			// Only the refused operations count as checked: the rest
			// are redone. Each counts once, as a refused batch does.
			refusal := opRefusal(t.e.ID, round[i])
			if counted[refusal] {
				continue
			}
			counted[refusal] = true
			if err := countRejected(ctx, tx, t.e, 1, 1, refusal); err != nil {
				return err
			}
		}
		if len(rest) == len(left) {
			// Refused lines that are none of the round's: never expected,
			// but a round must not be redone forever.
			err := fmt.Errorf("push round: %d operations refused, none of them by line", res.RejectedCount)
			for _, i := range left {
				out[i] = pushResult{err: err}
			}
			return nil
		}
		left = rest
	}
	return nil
}

// opRefusal identifies an operation pushed on its own among the refused ones
// of its entry (countRejected), as Options.refusal a batch: by the
// operation as sent, its key included, so that the same operation sent
// again as it was is the same refusal.
func opRefusal(entryID int64, op Op) string {
	return "op:" + opKey(entryID, &op) + "\x00" + op.Key
}

// warningsByLine returns a round's warnings by the line of their
// operation, each as the line 1 of its batch of one.
func warningsByLine(ws []LineError) map[int][]LineError {
	if len(ws) == 0 {
		return nil
	}
	m := make(map[int][]LineError)
	for _, w := range ws {
		line := w.Line
		w.Line = 1
		m[line] = append(m[line], w)
	}
	return m
}

// opList is the Source of a round's operations still to apply: line j+1
// is round[left[j]]. Values are copied, as normalising rewrites them and a
// round may be read again.
type opList struct {
	round []Op
	left  []int
	next  int
}

func (l *opList) Next(op *Op) (int, error) {
	if l.next == len(l.left) {
		return l.next, io.EOF
	}
	*op = l.round[l.left[l.next]]
	op.Values = maps.Clone(op.Values)
	l.next++
	return l.next, nil
}

// Err returns the line's refusal as an error: invalid, or a conflict when
// the records refuse the operation.
func (le LineError) Err() error {
	e := errs.Field(le.Field, le.Code, le.Reason)
	switch le.Code {
	case "record_exists", "record_not_found", "record_cancelled", "idempotency_key_reused", "out_of_order", "subject_ambiguous":
		e.Kind = errs.Conflict
	}
	return e
}
