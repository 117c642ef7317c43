package records_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPushQueuedBoundedFromPush: an operation pushed while a round that
// cannot commit runs queues behind it, and is answered
// database_unavailable within the bound of its push, not of its own
// round's start: it waited for the running round's bound and then its
// own, past the 20 s a shutting-down server grants a request.
func TestPushQueuedBoundedFromPush(t *testing.T) {
	const bound = 2 * time.Second
	defer records.SetRoundTimeout(bound)()
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		add := func(n int) records.Op {
			return records.Op{Op: "add", SubjectID: recordstest.CitizenID(n), ProducedAt: monday,
				Values: map[string]string{"姓名": "张三"}}
		}
		release := f.holdWrites()
		defer release()
		first := make(chan error, 1)
		go func() {
			_, err := p.Push(f.pusher, f.hj, add(1))
			first <- err
		}()
		time.Sleep(bound / 2) // the first round runs, and cannot commit
		pushed := time.Now()
		_, err := p.Push(f.pusher, f.hj, add(2))
		waited := time.Since(pushed)
		if e := errs.As(err); e == nil || e.Kind != errs.Unavailable || e.Code != "database_unavailable" {
			t.Errorf("an operation queued behind a round that cannot commit: %v, want database_unavailable", err)
		}
		if waited > bound+bound/4 {
			t.Errorf("an operation queued behind a round that cannot commit waited %v, want at most its bound, %v", waited, bound)
		}
		<-first
	})
}
