package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestWritesRetriedAfterDeadlock: a write that PostgreSQL aborts for a
// deadlock is applied again rather than failed — a round of pushes, a
// spooled batch (the API), a seekable file (the console's upload, the
// CLI's import). The write's cross-check updates the discrepancies of its
// entry with each other entry sharing the item, in the other entries'
// order; another transaction (as a batch of one of those entries, whose
// chunks are each in subject order but not all together, may) holds the
// second and then waits for the first. SQLite has one writer: nothing to
// retry.
func TestWritesRetriedAfterDeadlock(t *testing.T) {
	s := recordstest.CitizenID(1)
	change := line("change", s, monday.Add(time.Minute), map[string]string{"姓名": "李四"}, "")
	for name, write := range map[string]func(f *fixture) (records.BatchResult, error){
		"push round": func(f *fixture) (records.BatchResult, error) {
			p := records.NewPushes(f.db, nil, func() time.Time { return f.receivedAt })
			return p.Push(f.pusher, f.hj, records.Op{Op: "change", SubjectID: s, ProducedAt: monday.Add(time.Minute),
				Values: map[string]string{"姓名": "李四"}})
		},
		"spooled batch": func(f *fixture) (records.BatchResult, error) {
			body, err := records.Spool(strings.NewReader(change))
			if err != nil {
				return records.BatchResult{}, err
			}
			defer body.Close()
			return records.IngestSpooled(f.ctx, f.db, f.pusher, f.hj, body, records.JSONLines, f.receivedAt, records.Options{})
		},
		"file": func(f *fixture) (records.BatchResult, error) {
			return records.IngestFile(f.ctx, f.db, f.pusher, f.hj, strings.NewReader(change), records.JSONLines, f.receivedAt,
				records.Options{})
		},
	} {
		t.Run(name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				if db.Dialect != sqldb.Postgres {
					t.Skip("one writer: no deadlock")
				}
				deadlockOnce(t, db, s, write)
			})
		})
	}
}

// deadlockOnce runs write, a change of subject s's 姓名 to 李四 in the
// 户籍 entry, while another transaction makes it deadlock, and checks
// that it was applied once all the same.
func deadlockOnce(t *testing.T, db *sqldb.DB, s string, write func(f *fixture) (records.BatchResult, error)) {
	f := setup(t, db)
	mzj := recordstest.Department(t, db, "民政局", 3)
	mz := recordstest.Entry(t, db, mzj, recordstest.Spec{Code: "330001/000001", Name: "婚姻登记信息", SubjectKind: "person",
		Items: []records.Item{{Name: "身份证号", Type: "C", IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 10}}})
	f.push(f.pusher, f.hj, line("add", s, monday, map[string]string{"姓名": "张三"}, ""), records.Options{})
	f.push(f.rsjPusher, f.sb, line("add", s, monday, map[string]string{"姓名": "张三丰"}, ""), records.Options{})
	f.push(recordstest.Pusher(mzj), mz, line("add", s, monday, map[string]string{"姓名": "张三丰"}, ""), records.Options{})
	if n := f.count("record_discrepancies WHERE status = 'open'"); n != 2 {
		t.Fatalf("%d open discrepancies, want 2", n)
	}
	lock := `UPDATE record_discrepancies SET value_b = value_b WHERE entry_a = $1 AND entry_b = $2`

	// The other transaction holds the discrepancy the write updates
	// second (its entries' last); it lets the write's deadlock check run
	// first, so that the write is the one aborted.
	held, wait, otherDone := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		otherDone <- db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			if _, err := tx.ExecContext(f.ctx, `SET LOCAL deadlock_timeout = '20s'`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(f.ctx, lock, f.hj, mz); err != nil {
				return err
			}
			close(held)
			<-wait
			_, err := tx.ExecContext(f.ctx, lock, f.hj, f.sb)
			return err
		})
	}()
	<-held
	type answer struct {
		res records.BatchResult
		err error
	}
	written := make(chan answer, 1)
	go func() {
		res, err := write(f)
		written <- answer{res, err}
	}()
	// The write has updated the first discrepancy and waits for the
	// second.
	for waiting := 0; waiting == 0; {
		time.Sleep(5 * time.Millisecond)
		if err := db.Read().QueryRowContext(f.ctx, `SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'`).
			Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	close(wait)
	if err := <-otherDone; err != nil {
		t.Fatalf("the other transaction: %v (the write's deadlock check ran too late)", err)
	}
	a := <-written
	if a.err != nil || a.res.Applied != 1 {
		t.Fatalf("write deadlocked with another transaction: %+v, %v; want applied once run again", a.res, a.err)
	}
	r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, f.hj), s)
	if err != nil || r.Values["姓名"] != "李四" || r.Version != 2 {
		t.Errorf("record after the write: %+v, %v; want 姓名 李四, version 2", r, err)
	}
	if n := f.count("record_discrepancies WHERE status = 'open' AND value_a = '李四'"); n != 2 {
		t.Errorf("%d open discrepancies of the new name, want 2", n)
	}
}
