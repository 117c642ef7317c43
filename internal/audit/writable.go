package audit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// failed holds, for each database whose audit log the last round of a
// Group (or a read's RecordReads) failed to append to, that error; a
// round that commits removes it, as does a probe of CheckWritable that
// succeeds.
var failed sync.Map // *sqldb.DB → error

// noteRound keeps the outcome of a Group's round over db.
func noteRound(db *sqldb.DB, err error) {
	if err != nil {
		failed.Store(db, err)
		return
	}
	if _, ok := failed.Load(db); ok {
		failed.Delete(db)
	}
}

// RecordReads appends evs, in order, in a transaction of their own on db,
// for a read served without a Group (the console's, which a failure
// refuses): a failure is kept as a Group's failed round is (Failing,
// CheckWritable), so that readiness does not depend on which front end
// found the log unwritable. A refusal before any write (a cross-site
// read) and a caller gone (ctx ended) say nothing of the log: not kept;
// nor is a success, whose commit is not this function's when ctx carries
// a transaction to join (sqldb.WithTx): a probe clears a failure. The
// actors' credentials are not checked again, as a Group's reads' are not:
// a read ends with its request, checked as it began.
func RecordReads(ctx context.Context, db *sqldb.DB, evs []Event, now time.Time) error {
	if err := refuseCrossSite(evs); err != nil {
		return err
	}
	err := db.Tx(ctx, func(tx *sqldb.Tx) error { appendAt(tx, evs, now); return nil })
	if err != nil && ctx.Err() == nil {
		failed.Store(db, err)
	}
	return err
}

// Failing reports whether the last round of a Group over db failed and no
// probe of CheckWritable has succeeded since: whether CheckWritable would
// probe the log.
func Failing(db *sqldb.DB) bool {
	_, ok := failed.Load(db)
	return ok
}

// CheckWritable tells whether db's audit log can be appended to, for the
// server's readiness: nil unless the last round of a Group over db failed
// (every read it carried was refused, fail closed). Then it probes the
// log (probeAppend) and returns the probe's error, or, when the probe
// succeeds, forgets the failure and returns nil: readiness comes back
// with the log, without waiting for a read, which a load balancer that
// took the server out would never send.
func CheckWritable(ctx context.Context, db *sqldb.DB, now time.Time) error {
	v, ok := failed.Load(db)
	if !ok {
		return nil
	}
	if err := probeAppend(ctx, db, now); err != nil {
		return fmt.Errorf("audit: appends failing since %v; probe: %w", v, err)
	}
	failed.CompareAndDelete(db, v)
	return nil
}

// probeAppend does what an append does, in a transaction that commits,
// leaving the log as it was: it locks the head with a write of it that
// changes nothing, which the commit must make durable (a full disk, a
// database gone read-only refuse it), and under a savepoint appends a row
// as a read's transaction does before it commits (pending.Flush: head
// read, row inserted, head written), which it rolls back before
// committing: the chain gets no row.
func probeAppend(ctx context.Context, db *sqldb.DB, now time.Time) error {
	return db.Tx(ctx, func(tx *sqldb.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = seq WHERE id = 1`); err != nil {
			return unavailable(fmt.Errorf("audit: lock head: %w", err))
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT audit_probe`); err != nil {
			return unavailable(fmt.Errorf("audit: probe savepoint: %w", err))
		}
		ev := Event{Actor: Actor{Kind: ActorSystem, ID: "readyz", Name: "readiness probe"}, Action: "audit.read", ObjectType: "audit_log"}
		appendAll(tx, []Event{ev}, []time.Time{now})
		err := tx.FlushDeferred(ctx)
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT audit_probe`); rerr != nil && err == nil {
			err = unavailable(fmt.Errorf("audit: probe rollback: %w", rerr))
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `RELEASE SAVEPOINT audit_probe`)
		return err
	})
}
