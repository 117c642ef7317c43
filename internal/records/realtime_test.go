package records_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPushesGroupCommit holds the entry's counters while many operations
// are pushed one at a time, so that all but the first queue for one round:
// that round must apply every good operation, refuse each bad one alone
// with its own error, and count each operation once.
func TestPushesGroupCommit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		var b strings.Builder
		for i := 0; i < 21; i++ {
			b.WriteString(line("add", recordstest.CitizenID(i), monday, map[string]string{"姓名": fmt.Sprint("人", i)}, ""))
		}
		f.push(f.pusher, f.hj, b.String(), records.Options{})
		batchesBefore, versionsBefore := f.count("record_batches"), f.count("record_versions")

		type want struct {
			name    string
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
			wg.Go(func() { results[i], errors[i] = p.Push(f.pusher, f.hj, ops[i].op) })
		}
		for _, waiting := p.Queue(f.hj, f.pusher); waiting < len(ops); _, waiting = p.Queue(f.hj, f.pusher) {
			time.Sleep(time.Millisecond)
		}
		close(release)
		holder.Wait()
		firstDone.Wait()
		wg.Wait()

		applied, duplicates, refused := 0, 0, 0
		seqs := map[int64]bool{}
		batch := int64(0)
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
			if batch == 0 {
				batch = res.BatchID
			}
			if res.BatchID != batch || res.Lines != 1 || res.EntryID != f.hj {
				t.Errorf("%s: %+v, want a line of batch %d", w.name, res, batch)
			}
			if res.Duplicates == 1 {
				duplicates++
				continue
			}
			if res.Applied != 1 || res.FirstSeq == 0 || res.FirstSeq != res.LastSeq || seqs[res.FirstSeq] {
				t.Errorf("%s: %+v, want one applied operation with a sequence number of its own", w.name, res)
			}
			seqs[res.FirstSeq] = true
			applied++
		}
		if applied != 41 || duplicates != 1 || refused != 40 {
			t.Errorf("applied %d, duplicates %d, refused %d; want 41, 1, 40", applied, duplicates, refused)
		}
		if n := f.count("record_batches") - batchesBefore; n != 2 {
			t.Errorf("%d batches for two rounds", n)
		}
		if n := f.count("record_versions") - versionsBefore; n != 42 {
			t.Errorf("%d versions written, want 42", n)
		}
		var checked, rejected int
		if err := db.Read().QueryRowContext(f.ctx, `SELECT checked_lines, rejected_lines FROM record_entry_stats WHERE entry_id = $1`,
			f.hj).Scan(&checked, &rejected); err != nil {
			t.Fatal(err)
		}
		if checked != 21+1+len(ops) || rejected != 40 {
			t.Errorf("checked %d, rejected %d lines; want %d, 40", checked, rejected, 21+1+len(ops))
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
