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

// TestPushesGroupCommit holds an entry's counters while many operations
// are pushed to it one at a time, so that all but the first queue for one
// round: that round must apply every good operation, refuse each bad one
// alone with its own error, and count each operation once. Pushes to other
// entries at the same time go their own way, to another provider's entry
// refused.
func TestPushesGroupCommit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		f.push(f.pusher, f.hj, people(0, 21), records.Options{})
		batchesBefore, versionsBefore := f.count("record_batches"), f.count("record_versions")

		// A second entry of the same provider, and one of another.
		births := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000002", Name: "出生医学证明", SubjectKind: "person",
			Items: personItems[:2]})

		type want struct {
			name    string
			entry   int64
			op      records.Op
			applied bool   // else refused with code, or a duplicate when code is ""
			code    string // the refusal's code
			kind    errs.Kind
		}
		op := func(kind string, n int, vals map[string]string, key string) records.Op {
			return records.Op{Op: kind, SubjectID: recordstest.CitizenID(n), ProducedAt: monday, Values: vals, Key: key}
		}
		var ops []want
		for i := 0; i < 20; i++ {
			ops = append(ops,
				want{name: "add", op: op("add", 100+i, map[string]string{"姓名": "新"}, ""), applied: true},
				want{name: "change", op: op("change", i, map[string]string{"姓名": fmt.Sprint("改", i)}, fmt.Sprint("c", i)), applied: true},
				want{name: "change missing", op: op("change", 500+i, map[string]string{"姓名": "无"}, ""), code: "record_not_found", kind: errs.Conflict},
				want{name: "unknown item", op: op("add", 600+i, map[string]string{"血型": "A"}, ""), code: "unknown_item", kind: errs.Invalid},
			)
		}
		// The same operation twice in the round: applied once.
		ops = append(ops, want{name: "twice", op: op("cancel", 20, nil, "dup"), applied: true},
			want{name: "twice", op: op("cancel", 20, nil, "dup")})
		for i := range ops {
			ops[i].entry = f.hj
		}
		queued := len(ops)
		for i := 0; i < 5; i++ {
			ops = append(ops, want{name: "other entry", entry: births, op: op("add", i, map[string]string{"姓名": "婴"}, ""), applied: true},
				want{name: "not the provider", entry: f.sb, op: op("add", i, map[string]string{"姓名": "他"}, ""),
					code: "not_provider", kind: errs.Forbidden})
		}

		p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		first := op("add", 99, map[string]string{"姓名": "先"}, "")
		release := make(chan struct{})
		held := make(chan struct{})
		var holder sync.WaitGroup
		holder.Go(func() {
			err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
				if _, err := tx.ExecContext(f.ctx, `UPDATE record_entry_stats SET ops = ops WHERE entry_id = $1`, f.hj); err != nil {
					return err
				}
				close(held)
				<-release
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
		<-held
		var firstDone sync.WaitGroup
		firstDone.Go(func() {
			if res, err := p.Push(f.pusher, f.hj, first); err != nil || res.Applied != 1 {
				t.Errorf("first push: %+v, %v", res, err)
			}
		})
		// The first push leads and waits for the counters; the rest queue.
		for leading, waiting := p.Queue(f.hj, f.pusher); !leading || waiting > 0; leading, waiting = p.Queue(f.hj, f.pusher) {
			time.Sleep(time.Millisecond)
		}
		results := make([]records.BatchResult, len(ops))
		errors := make([]error, len(ops))
		var wg sync.WaitGroup
		for i := range ops {
			wg.Go(func() { results[i], errors[i] = p.Push(f.pusher, ops[i].entry, ops[i].op) })
		}
		for _, waiting := p.Queue(f.hj, f.pusher); waiting < queued; _, waiting = p.Queue(f.hj, f.pusher) {
			time.Sleep(time.Millisecond)
		}
		close(release)
		holder.Wait()
		firstDone.Wait()
		wg.Wait()

		applied, duplicates, refused := 0, 0, 0
		seqs := map[[2]int64]bool{}
		batch := int64(0) // the held entry's second round
		for i, w := range ops {
			res, err := results[i], errors[i]
			switch {
			case w.code != "":
				e := errs.As(err)
				if e == nil || e.Code != w.code || e.Kind != w.kind || e.Message == "" {
					t.Errorf("%s: got %+v, %v; want refused with %s", w.name, res, err, w.code)
				}
				refused++
				continue
			case err != nil:
				t.Errorf("%s: %v", w.name, err)
				continue
			}
			if batch == 0 && w.entry == f.hj {
				batch = res.BatchID
			}
			if res.Lines != 1 || res.EntryID != w.entry || w.entry == f.hj && res.BatchID != batch {
				t.Errorf("%s: %+v, want a line of entry %d (of the held entry's batch %d)", w.name, res, w.entry, batch)
			}
			if res.Duplicates == 1 {
				duplicates++
				continue
			}
			if s := [2]int64{w.entry, res.FirstSeq}; res.Applied != 1 || res.FirstSeq == 0 || res.FirstSeq != res.LastSeq || seqs[s] {
				t.Errorf("%s: %+v, want one applied operation with a sequence number of its own", w.name, res)
			}
			seqs[[2]int64{w.entry, res.FirstSeq}] = true
			applied++
		}
		if applied != 46 || duplicates != 1 || refused != 45 {
			t.Errorf("applied %d, duplicates %d, refused %d; want 46, 1, 45", applied, duplicates, refused)
		}
		var batches int
		if err := db.Read().QueryRowContext(f.ctx, `SELECT count(*) FROM record_batches WHERE entry_id = $1`, f.hj).Scan(&batches); err != nil {
			t.Fatal(err)
		}
		if n := batches - batchesBefore; n != 2 {
			t.Errorf("%d batches of the held entry for two rounds", n)
		}
		if n := f.count("record_versions") - versionsBefore; n != 47 {
			t.Errorf("%d versions written, want 47", n)
		}
		var checked, rejected int
		if err := db.Read().QueryRowContext(f.ctx, `SELECT checked_lines, rejected_lines FROM record_entry_stats WHERE entry_id = $1`,
			f.hj).Scan(&checked, &rejected); err != nil {
			t.Fatal(err)
		}
		// The operation sent twice is checked once: the second is a duplicate.
		if want := 21 + 1 + 20*4 + 1; checked != want || rejected != 40 {
			t.Errorf("checked %d, rejected %d lines; want %d, 40", checked, rejected, want)
		}
		e, err := records.LoadEntry(f.ctx, db.Read(), f.hj)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := records.Get(f.ctx, db.Read(), e, recordstest.CitizenID(3)); err != nil || r.Values["姓名"] != "改3" {
			t.Errorf("record 3 after its change: %+v, %v", r, err)
		}
	})
}
