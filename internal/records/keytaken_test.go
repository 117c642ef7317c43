package records_test

import (
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// round pushes ops to f.hj with p as one round: the entry's counters are
// held while an operation of its own leads, so that ops queue behind it and
// go into the next round together, in order. It returns each operation's answer.
func (f *fixture) round(p *records.Pushes, ops []records.Op) ([]records.BatchResult, []error) {
	f.t.Helper()
	release, held := make(chan struct{}), make(chan struct{})
	var holder, first sync.WaitGroup
	holder.Go(func() {
		err := f.db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			if _, err := tx.ExecContext(f.ctx, `UPDATE record_entry_stats SET ops = ops WHERE entry_id = $1`, f.hj); err != nil {
				return err
			}
			close(held)
			<-release
			return nil
		})
		if err != nil {
			f.t.Error(err)
		}
	})
	<-held
	lead := records.Op{Op: "add", SubjectID: recordstest.CitizenID(990), ProducedAt: monday, Values: map[string]string{"姓名": "先"}}
	first.Go(func() {
		if _, err := p.Push(f.pusher, f.hj, lead); err != nil {
			f.t.Errorf("leading push: %v", err)
		}
	})
	for leading, waiting := p.Queue(f.hj, f.pusher); !leading || waiting > 0; leading, waiting = p.Queue(f.hj, f.pusher) {
		time.Sleep(time.Millisecond)
	}
	results, errors := make([]records.BatchResult, len(ops)), make([]error, len(ops))
	var wg sync.WaitGroup
	for i := range ops {
		// One at a time, so that the round holds them in order.
		wg.Go(func() { results[i], errors[i] = p.Push(f.pusher, f.hj, ops[i]) })
		for _, waiting := p.Queue(f.hj, f.pusher); waiting <= i; _, waiting = p.Queue(f.hj, f.pusher) {
			time.Sleep(time.Millisecond)
		}
	}
	close(release)
	holder.Wait()
	first.Wait()
	wg.Wait()
	return results, errors
}

// rejectedLines is the lines of f.hj counted as refused for its validity.
func (f *fixture) rejectedLines() int {
	f.t.Helper()
	var n int
	if err := f.db.Read().QueryRowContext(f.ctx, `SELECT rejected_lines FROM record_entry_stats WHERE entry_id = $1`,
		f.hj).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// TestRefusedOperationTakesNoKey: an operation refused by the records
// (record_not_found, record_exists, out_of_order) stores no key, so that
// a later operation under its key, in the same batch or round, is not a
// reuse of it: it is checked, applied or refused, on its own. The same
// operation twice, refused, is refused twice, never answered as a
// duplicate of an operation that was not applied.
func TestRefusedOperationTakesNoKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2, p3 := recordstest.CitizenID(1), recordstest.CitizenID(2), recordstest.CitizenID(3)
		f.push(f.pusher, f.hj, line("add", p2, monday, map[string]string{"姓名": "李四"}, ""), records.Options{})

		codes := func(res records.BatchResult) []string {
			var out []string
			for _, r := range res.Rejected {
				out = append(out, r.Code)
			}
			return out
		}
		// A batch: a change of a missing record and the add of that record
		// under one key; an add of an existing record and a change of it
		// under another. Only the first of each pair is wrong.
		res := f.pushRefused(line("change", p1, monday, map[string]string{"姓名": "张三"}, "K") +
			line("add", p1, monday, map[string]string{"姓名": "张三"}, "K") +
			line("add", p2, monday.Add(time.Minute), map[string]string{"姓名": "李四"}, "K2") +
			line("change", p2, monday.Add(time.Minute), map[string]string{"姓名": "李四四"}, "K2"))
		if res.RejectedCount != 2 || res.Rejected[0].Line != 1 || res.Rejected[0].Code != "record_not_found" ||
			res.Rejected[1].Line != 3 || res.Rejected[1].Code != "record_exists" {
			t.Errorf("batch: refused %+v, want line 1 record_not_found and line 3 record_exists alone", res.Rejected)
		}
		// The same refused operation twice: refused twice.
		res = f.pushRefused(line("add", p2, monday, map[string]string{"姓名": "王五"}, "K3") +
			line("add", p2, monday, map[string]string{"姓名": "王五"}, "K3"))
		if got := codes(res); res.RejectedCount != 2 || len(got) != 2 || got[0] != "record_exists" || got[1] != "record_exists" {
			t.Errorf("refused twice: %+v, duplicates %d; want both lines record_exists", res.Rejected, res.Duplicates)
		}

		// A round: the change refused, the add under its key applied; only
		// the change counts against validity.
		p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		rejected := f.rejectedLines()
		results, errors := f.round(p, []records.Op{
			{Op: "change", SubjectID: p3, ProducedAt: monday, Values: map[string]string{"姓名": "赵六"}, Key: "R"},
			{Op: "add", SubjectID: p3, ProducedAt: monday, Values: map[string]string{"姓名": "赵六"}, Key: "R"},
		})
		if e := errs.As(errors[0]); e == nil || e.Code != "record_not_found" {
			t.Errorf("change of a missing record: %+v, %v; want record_not_found", results[0], errors[0])
		}
		if errors[1] != nil || results[1].Applied != 1 {
			t.Errorf("add under the refused change's key: %+v, %v; want applied", results[1], errors[1])
		}
		if n := f.rejectedLines() - rejected; n != 1 {
			t.Errorf("%d lines counted refused, want 1 (the change)", n)
		}
		// The add took the key: sent again, a duplicate.
		one, err := p.Push(f.pusher, f.hj, records.Op{Op: "add", SubjectID: p3, ProducedAt: monday,
			Values: map[string]string{"姓名": "赵六"}, Key: "R"})
		if err != nil || one.Duplicates != 1 {
			t.Errorf("the add sent again: %+v, %v; want a duplicate", one, err)
		}
	})
}
