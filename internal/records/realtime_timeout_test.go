package records_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// holdWrites keeps rounds of pushes from committing until the returned
// function is called: on PostgreSQL another session holds the audit_head
// row, which every round updates for its batch's audit row; on SQLite a
// transaction of this process holds the one writer.
func (f *fixture) holdWrites() (release func()) {
	f.t.Helper()
	held, done := make(chan struct{}), make(chan struct{})
	var holder sync.WaitGroup
	holder.Go(func() {
		err := f.db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			lock := `SELECT 1`
			if f.db.Dialect == sqldb.Postgres {
				lock = `SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE`
			}
			if _, err := tx.ExecContext(f.ctx, lock); err != nil {
				return err
			}
			close(held)
			<-done
			return nil
		})
		if err != nil {
			f.t.Error(err)
		}
	})
	<-held
	return func() {
		close(done)
		holder.Wait()
	}
}

// TestPushRoundTimesOut: while a round of pushes cannot commit, its
// operations are answered database_unavailable (503) once the round's
// bound has passed, where they waited for as long as the lock was held;
// none of them is applied, what was acknowledged before stays, and the
// same operations sent again once the lock is gone are applied.
func TestPushRoundTimesOut(t *testing.T) {
	const bound = 500 * time.Millisecond
	defer records.SetRoundTimeout(bound)()
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		add := func(n int) records.Op {
			return records.Op{Op: "add", SubjectID: recordstest.CitizenID(n), ProducedAt: monday,
				Values: map[string]string{"姓名": fmt.Sprint("人", n)}, Key: fmt.Sprint("k", n)}
		}
		if _, err := p.Push(f.pusher, f.hj, add(0)); err != nil {
			t.Fatal(err)
		}
		batches, versions, logged := f.count("record_batches"), f.count("record_versions"), f.count("audit_log")

		release := f.holdWrites()
		const ops = 3
		errc := make(chan error, ops)
		for i := 1; i <= ops; i++ {
			go func() {
				_, err := p.Push(f.pusher, f.hj, add(i))
				errc <- err
			}()
		}
		// The operations share at most three rounds, each ending at its bound.
		deadline := time.After(ops*bound + 10*time.Second)
		for range ops {
			select {
			case err := <-errc:
				if e := errs.As(err); e == nil || e.Kind != errs.Unavailable || e.Code != "database_unavailable" {
					t.Errorf("an operation pushed while its round cannot commit: %v, want database_unavailable", err)
				}
			case <-deadline:
				release()
				t.Fatal("an operation still waits while its round cannot commit")
			}
		}
		release()

		if b, v, l := f.count("record_batches"), f.count("record_versions"), f.count("audit_log"); b != batches || v != versions || l != logged {
			t.Errorf("after the rounds that timed out: %d batches, %d versions, %d audit rows; want %d, %d, %d (nothing changed)",
				b, v, l, batches, versions, logged)
		}
		for i := 1; i <= ops; i++ {
			res, err := p.Push(f.pusher, f.hj, add(i))
			if err != nil || res.Applied != 1 {
				t.Fatalf("operation %d sent again once the lock is gone: %+v, %v; want applied", i, res, err)
			}
		}
		if res, err := p.Push(f.pusher, f.hj, add(0)); err != nil || res.Duplicates != 1 {
			t.Errorf("the operation acknowledged before, sent again: %+v, %v; want a duplicate", res, err)
		}
		if v := f.count("record_versions"); v != versions+ops {
			t.Errorf("%d versions, want %d", v, versions+ops)
		}
	})
}
