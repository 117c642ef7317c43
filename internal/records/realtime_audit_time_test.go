package records_test

import (
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPushRoundAuditDatedWhenWritten: single pushes committed together in
// one round (records.Pushes) are one batch, received when its first
// operation was, each version keeping its own time of receipt, and one
// records.batch audit row, dated when the round writes it (the pushes'
// clock then, audit.WithClock), not at the round's earliest arrival, as
// docs/records-push.md says. The pushes' clock moves on as the lock the
// first round waits for is let go: that round's row is dated after, not
// when the round began. On both engines.
func TestPushRoundAuditDatedWhenWritten(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		f.push(f.pusher, f.hj, people(0, 1), records.Options{})
		began, committed := f.receivedAt.Add(time.Hour), f.receivedAt.Add(2*time.Hour)
		var clock atomic.Pointer[time.Time]
		clock.Store(&began)
		p := records.NewPushes(db, nil, func() time.Time { return *clock.Load() })
		add := func(n int, received time.Time) records.Op {
			return records.Op{Op: "add", SubjectID: recordstest.CitizenID(n), ProducedAt: monday, Values: map[string]string{"姓名": "新"},
				ReceivedAt: received}
		}

		// The entry's counters are held while a first push leads its own
		// round, so that the next two queue for one round together.
		release := f.holdStats(t, db)
		var pushes sync.WaitGroup
		waiting := sqldbtest.Waiting(t, db)
		var first records.BatchResult
		pushes.Go(func() {
			var err error
			if first, err = p.Push(f.pusher, f.hj, add(10, f.receivedAt)); err != nil {
				t.Errorf("first push: %v", err)
			}
		})
		for leading, _ := p.Queue(f.hj, f.pusher); !leading; leading, _ = p.Queue(f.hj, f.pusher) {
			time.Sleep(time.Millisecond)
		}
		// The first round waits for the holder's lock (on SQLite, for
		// the writer).
		waiting()
		arrived := []time.Time{f.receivedAt.Add(10 * time.Minute), f.receivedAt.Add(5 * time.Minute)}
		results := make([]records.BatchResult, len(arrived))
		for i, at := range arrived {
			pushes.Go(func() {
				var err error
				if results[i], err = p.Push(f.pusher, f.hj, add(20+i, at)); err != nil {
					t.Errorf("push %d: %v", i, err)
				}
			})
		}
		for _, waiting := p.Queue(f.hj, f.pusher); waiting < len(arrived); _, waiting = p.Queue(f.hj, f.pusher) {
			time.Sleep(time.Millisecond)
		}
		clock.Store(&committed)
		release()
		pushes.Wait()
		if t.Failed() {
			return
		}
		batch := results[0].BatchID
		if results[1].BatchID != batch {
			t.Fatalf("the two queued pushes in batches %d and %d, want one round", batch, results[1].BatchID)
		}

		var received time.Time
		if err := db.Read().QueryRowContext(f.ctx, `SELECT received_at FROM record_batches WHERE id = $1`, batch).Scan(&received); err != nil {
			t.Fatal(err)
		}
		if !received.Equal(arrived[1]) {
			t.Errorf("round's batch received at %s, want its earliest push's arrival %s", received, arrived[1])
		}
		for i, at := range arrived {
			var got time.Time
			if err := db.Read().QueryRowContext(f.ctx, `SELECT received_at FROM record_versions WHERE entry_id = $1 AND seq = $2`,
				f.hj, results[i].FirstSeq).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if !got.Equal(at) || !results[i].ReceivedAt.Equal(at) {
				t.Errorf("push %d: version received at %s, answered %s; want its own arrival %s", i, got, results[i].ReceivedAt, at)
			}
		}
		rows, err := db.Read().QueryContext(f.ctx, `SELECT at, detail FROM audit_log WHERE action = 'records.batch' ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		dated := map[int64][]time.Time{}
		for rows.Next() {
			var at time.Time
			var detail string
			if err := rows.Scan(&at, &detail); err != nil {
				t.Fatal(err)
			}
			var d struct {
				BatchID int64 `json:"batch_id"`
			}
			if err := json.Unmarshal([]byte(detail), &d); err != nil {
				t.Fatal(err)
			}
			dated[d.BatchID] = append(dated[d.BatchID], at)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if got := dated[batch]; len(got) != 1 || !got[0].Equal(committed) {
			t.Errorf("records.batch rows of the round's batch dated %v, want one at the round's commit %s", got, committed)
		}
		if got := dated[first.BatchID]; len(got) != 1 || got[0].Before(committed) {
			t.Errorf("records.batch rows of the first round's batch dated %v, want one when written, at or after the lock was let go %s (the round began %s)",
				got, committed, began)
		}
	})
}
