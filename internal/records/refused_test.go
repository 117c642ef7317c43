package records_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// csvPeople is a CSV batch adding persons from to to-1 under the header
// columns, the item columns being a name and a birth date.
func csvPeople(columns string, from, to int) string {
	var b strings.Builder
	b.WriteString(columns + "\n")
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, "add,%s,2026-03-02 10:00:00,人%d,1990-01-01\n", recordstest.CitizenID(i), i)
	}
	return b.String()
}

// TestCSVUnknownColumn: a CSV header naming an item the entry does not
// have is one error, of the header's line 1, not one of every row; the
// rows are still checked for their own errors, without that column.
func TestCSVUnknownColumn(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		ingest := func(body string) records.BatchResult {
			t.Helper()
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		res := ingest(csvPeople("op,subject_id,produced_at,姓,出生日期", 0, 1000))
		if res.RejectedCount != 1 || res.Lines != 1000 || res.Applied != 0 {
			t.Fatalf("unknown column: %d refused of %d lines, applied %d; want one refused (the header)", res.RejectedCount, res.Lines, res.Applied)
		}
		if r := res.Rejected[0]; r.Line != 1 || r.Code != "unknown_item" || r.Field != "姓" || !strings.Contains(r.Reason, "表头") {
			t.Errorf("header error: %+v, want line 1 unknown_item 姓 naming the header", r)
		}
		// The unknown column the only item: its rows are not refused for
		// having no values.
		res = ingest("op,subject_id,produced_at,姓\nadd," + recordstest.CitizenID(1) + ",2026-03-02,张三\n")
		if res.RejectedCount != 1 || res.Rejected[0].Line != 1 {
			t.Errorf("only item unknown: %+v, want the header's error alone", res.Rejected)
		}
		// Two unknown columns, and a row with an error of its own.
		res = ingest(csvPeople("op,subject_id,produced_at,姓,生日", 0, 3) + "add,123,2026-03-02 10:00:00,王五,1990-01-01\n")
		var got []string
		for _, r := range res.Rejected {
			got = append(got, fmt.Sprintf("%d:%s:%s", r.Line, r.Code, r.Field))
		}
		if want := "1:unknown_item:姓 1:unknown_item:生日 5:invalid_citizen_id:subject_id"; strings.Join(got, " ") != want {
			t.Errorf("refused %v, want %s", got, want)
		}
		// A blank header cell (a trailing comma) names no column, and a
		// column no row holds a value in is no error: both batches are
		// applied.
		res = ingest(csvPeople("op,subject_id,produced_at,姓名,出生日期,", 0, 0) +
			"add," + recordstest.CitizenID(10) + ",2026-03-02 10:00:00,赵六,1990-01-01,\n")
		if res.RejectedCount != 0 || res.Applied != 1 {
			t.Errorf("trailing comma: refused %+v, applied %d; want applied", res.Rejected, res.Applied)
		}
		res = ingest("op,subject_id,produced_at,姓名,出生日期,备注\n" +
			"add," + recordstest.CitizenID(11) + ",2026-03-02 10:00:00,钱七,1990-01-01,\n" +
			"add," + recordstest.CitizenID(12) + ",2026-03-02 10:00:00,孙八,1990-01-01,\n")
		if res.RejectedCount != 0 || res.Applied != 2 {
			t.Errorf("empty 备注: refused %+v, applied %d; want applied", res.Rejected, res.Applied)
		}
		// A value in such a column is the header's error, once.
		res = ingest("op,subject_id,produced_at,姓名,出生日期,备注\n" +
			"add," + recordstest.CitizenID(13) + ",2026-03-02 10:00:00,李九,1990-01-01,\n" +
			"add," + recordstest.CitizenID(14) + ",2026-03-02 10:00:00,周十,1990-01-01,新增\n" +
			"add," + recordstest.CitizenID(15) + ",2026-03-02 10:00:00,吴一,1990-01-01,变更\n")
		if res.RejectedCount != 1 || res.Applied != 0 || res.Rejected[0].Line != 1 || res.Rejected[0].Field != "备注" {
			t.Errorf("备注 with values: refused %+v, applied %d; want the header's error alone", res.Rejected, res.Applied)
		}
		// A header that cannot be read is that error alone.
		for _, header := range []string{"op,subject_id,produced_at,姓名,姓名", "subject_id,produced_at,姓,出生日期"} {
			res = ingest(csvPeople(header, 0, 3))
			if res.RejectedCount != 1 || res.Rejected[0].Code != "malformed_csv" {
				t.Errorf("header %s: refused %+v, want malformed_csv alone", header, res.Rejected)
			}
		}
	})
}

// TestRefusedBatchCountedOnce: a refused batch counts its lines against
// the entry's validity once however often it is sent again as it was (the
// same body, or without a digest the same Idempotency-Key), after another
// refused batch or an accepted one; another refused batch counts. The
// header's unknown column refuses each of the 500 rows holding a value in
// it: 500 refused lines, though one error.
func TestRefusedBatchCountedOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		bad := csvPeople("op,subject_id,produced_at,姓,出生日期", 0, 500)
		send := func(body string, opt records.Options) {
			t.Helper()
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, opt)
			if err != nil || res.RejectedCount == 0 {
				t.Fatalf("bad batch: %+v, %v; want refused", res, err)
			}
		}
		counted := func(wantChecked, wantRejected int64) {
			t.Helper()
			f.counted(wantChecked, wantRejected)
		}
		for range 3 { // as the API sends it: with the body's digest
			send(bad, records.Options{BatchKey: "unk-same", Digest: "d1"})
		}
		counted(500, 500)
		send(bad, records.Options{Digest: "d1"}) // the same body without the key
		counted(500, 500)
		for range 2 { // as hutong import records -key sends it: no digest
			send(bad, records.Options{BatchKey: "unk-2"})
		}
		counted(1000, 1000)
		send(csvPeople("op,subject_id,produced_at,名,出生日期", 0, 500), records.Options{BatchKey: "unk-2", Digest: "d2"})
		counted(1500, 1500)
		// Refused, accepted, then refused again as it was: the same data
		// refused again, not counted.
		good := csvPeople("op,subject_id,produced_at,姓名,出生日期", 1000, 1010)
		if res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(good)), f.receivedAt,
			records.Options{BatchKey: "good", Digest: "d3"}); err != nil || res.Applied != 10 {
			t.Fatalf("good batch: %+v, %v; want applied", res, err)
		}
		counted(1510, 1500)
		send(csvPeople("op,subject_id,produced_at,名,出生日期", 0, 500), records.Options{BatchKey: "unk-2", Digest: "d2"})
		counted(1510, 1500)
		// Two refused batches resent in turn: each counted once.
		send(bad, records.Options{Digest: "d1"})
		send(csvPeople("op,subject_id,produced_at,名,出生日期", 0, 500), records.Options{Digest: "d2"})
		counted(1510, 1500)
	})
}

// counted checks the lines of the entry f.hj counted for its validity.
func (f *fixture) counted(wantChecked, wantRejected int64) {
	f.t.Helper()
	qs, err := records.EntryQuality(f.ctx, f.db.Read(), nil, f.hj, 0, f.receivedAt)
	if err != nil || len(qs) != 1 {
		f.t.Fatalf("quality: %v, %v", qs, err)
	}
	if qs[0].CheckedLines != wantChecked || qs[0].RejectedLines != wantRejected {
		f.t.Errorf("checked %d, rejected %d; want %d, %d", qs[0].CheckedLines, qs[0].RejectedLines, wantChecked, wantRejected)
	}
}

// TestRefusedPushCountedOnce: an operation pushed on its own and refused
// counts against the entry's validity once however often it is sent again
// as it was, as a refused batch does: a retry queue resending refused
// operations in turn, between accepted ones or in their round, counts each
// once. Under another key, or another refused operation, counts, as does
// one no longer among the entry's last 16 refusals.
func TestRefusedPushCountedOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		op := func(n int, item, key string) records.Op {
			return records.Op{Op: "add", SubjectID: recordstest.CitizenID(n), ProducedAt: monday, Values: map[string]string{item: "张三"}, Key: key}
		}
		push := func(o records.Op, refused bool) {
			t.Helper()
			if _, err := p.Push(f.pusher, f.hj, o); (err != nil) != refused {
				t.Fatalf("push %+v: %v, want refused %v", o, err, refused)
			}
		}
		bad := op(1, "姓", "") // unknown_item
		for range 3 {
			push(bad, true)
		}
		f.counted(1, 1)
		push(op(1, "姓", "k1"), true) // the same content under a key
		f.counted(2, 2)
		other := op(2, "姓", "")
		push(other, true)
		f.counted(3, 3)
		for range 3 { // two refused operations resent in turn
			push(bad, true)
			push(other, true)
		}
		f.counted(3, 3)
		push(op(3, "姓名", ""), false)
		f.counted(4, 3)
		push(bad, true) // refused again after an accepted one
		f.counted(4, 3)

		// A round: the entry's counters held while a first operation
		// leads, the rest queue for the next round, which refuses bad
		// (counted before), a new refused operation twice, and applies
		// an accepted one.
		release := f.holdStats(t, db)
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := p.Push(f.pusher, f.hj, op(4, "姓名", "")); err != nil {
				t.Errorf("first push: %v", err)
			}
		})
		for leading, waiting := p.Queue(f.hj, f.pusher); !leading || waiting > 0; leading, waiting = p.Queue(f.hj, f.pusher) {
			time.Sleep(time.Millisecond)
		}
		round := []records.Op{bad, op(5, "姓名", ""), op(6, "姓", ""), op(6, "姓", "")}
		pushErrs := make([]error, len(round))
		for i, o := range round {
			wg.Go(func() { _, pushErrs[i] = p.Push(f.pusher, f.hj, o) })
		}
		for _, waiting := p.Queue(f.hj, f.pusher); waiting < len(round); _, waiting = p.Queue(f.hj, f.pusher) {
			time.Sleep(time.Millisecond)
		}
		release()
		wg.Wait()
		for i, o := range round {
			if (pushErrs[i] != nil) != (o.Values["姓"] != "") {
				t.Errorf("round's push %+v: %v", o, pushErrs[i])
			}
		}
		f.counted(7, 4)
		push(bad, true)
		push(op(6, "姓", ""), true)
		f.counted(7, 4)

		// 16 other refusals: bad is no longer among the last ones kept.
		for n := range 16 {
			push(op(100+n, "姓", ""), true)
		}
		f.counted(23, 20)
		push(op(115, "姓", ""), true)
		f.counted(23, 20)
		push(bad, true)
		f.counted(24, 21)
	})
}

// holdStats holds the row of f's entry (hj) in record_entry_stats in a
// transaction of its own until release is called, which waits for that
// transaction's end: a push's round, which updates the row, waits for it
// meanwhile (on SQLite, for the writer).
func (f fixture) holdStats(t *testing.T, db *sqldb.DB) (release func()) {
	t.Helper()
	done, held := make(chan struct{}), make(chan struct{})
	var holder sync.WaitGroup
	holder.Go(func() {
		if err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			if _, err := tx.ExecContext(f.ctx, `UPDATE record_entry_stats SET ops = ops WHERE entry_id = $1`, f.hj); err != nil {
				return err
			}
			close(held)
			<-done
			return nil
		}); err != nil {
			t.Error(err)
		}
	})
	<-held
	return func() {
		close(done)
		holder.Wait()
	}
}
