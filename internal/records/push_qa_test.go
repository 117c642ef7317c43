package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// pushRefused ingests lines that are expected to be refused and returns the
// result.
func (f *fixture) pushRefused(lines string) records.BatchResult {
	f.t.Helper()
	res, err := records.Ingest(f.ctx, f.db, f.pusher, f.hj, records.JSONLines(strings.NewReader(lines)), f.receivedAt, records.Options{})
	if err != nil {
		f.t.Fatalf("ingest: %v", err)
	}
	return res
}

// TestChangeThatChangesNothing: a change without values is refused
// (missing_values); a change to the values the record already holds is
// acknowledged as unchanged and writes no version, in a batch (beside
// changes that do apply) and pushed alone.
func TestChangeThatChangesNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "张三", "出生日期": "1990-01-01"}, "")+
			line("add", p2, monday, map[string]string{"姓名": "李四"}, ""), records.Options{})
		versions := f.count("record_versions")

		for _, vals := range []map[string]string{nil, {}} {
			res := f.pushRefused(line("change", p1, monday.Add(time.Minute), vals, ""))
			if res.RejectedCount != 1 || res.Rejected[0].Code != "missing_values" {
				t.Errorf("change with values %v: %+v, want missing_values", vals, res)
			}
		}
		// The same values, written otherwise (a date in another form), and
		// an item cleared that has no value.
		res := f.push(f.pusher, f.hj, line("change", p1, monday.Add(time.Minute), map[string]string{"姓名": "张三", "出生日期": "19900101",
			"户籍地址": ""}, "")+line("change", p2, monday.Add(time.Minute), map[string]string{"姓名": "李四四"}, ""), records.Options{})
		if res.Applied != 1 || res.Unchanged != 1 || res.Duplicates != 0 || res.RejectedCount != 0 || res.FirstSeq != 3 || res.LastSeq != 3 {
			t.Errorf("identical change beside a real one: %+v, want applied 1, unchanged 1", res)
		}
		if n := f.count("record_versions"); n != versions+1 {
			t.Errorf("versions = %d, want %d", n, versions+1)
		}
		h, err := records.History(f.ctx, db.Read(), mustEntry(t, db, f.hj), p1)
		if err != nil || len(h) != 1 {
			t.Errorf("history of the unchanged record: %d versions, %v; want 1", len(h), err)
		}

		pushes := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		one, err := pushes.Push(f.pusher, f.hj, records.Op{Op: "change", SubjectID: p2, ProducedAt: monday.Add(2 * time.Minute),
			Values: map[string]string{"姓名": "李四四"}, Key: "same-again"})
		if err != nil || one.Applied != 0 || one.Unchanged != 1 || one.Lines != 1 {
			t.Errorf("single identical change: %+v, %v; want unchanged 1", one, err)
		}
		if _, err := pushes.Push(f.pusher, f.hj, records.Op{Op: "change", SubjectID: p2, ProducedAt: monday.Add(2 * time.Minute)}); code(err) != "missing_values" {
			t.Errorf("single change without values: %v, want missing_values", err)
		}
		if n := f.count("record_versions"); n != versions+1 {
			t.Errorf("versions after single pushes = %d, want %d", n, versions+1)
		}
		// A change back and forth is two versions.
		res = f.push(f.pusher, f.hj, line("change", p2, monday.Add(3*time.Minute), map[string]string{"姓名": "李四"}, "")+
			line("change", p2, monday.Add(4*time.Minute), map[string]string{"姓名": "李四四"}, ""), records.Options{})
		if res.Applied != 2 || res.Unchanged != 0 {
			t.Errorf("change and back: %+v", res)
		}
	})
}

// TestProducedAtInFuture: data produced more than MaxClockSkew after the
// time of receipt is refused, as a line of a batch and pushed alone; a
// source clock a little ahead is accepted (and on time).
func TestProducedAtInFuture(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		now := f.receivedAt
		res := f.pushRefused(line("add", recordstest.CitizenID(1), now.Add(records.MaxClockSkew+time.Second), map[string]string{"姓名": "张三"}, "") +
			line("add", recordstest.CitizenID(2), now.Add(400*24*time.Hour), map[string]string{"姓名": "李四"}, ""))
		if res.RejectedCount != 2 || res.Rejected[0].Code != "produced_at_in_future" || res.Rejected[0].Field != "produced_at" ||
			!strings.Contains(res.Rejected[0].Reason, "晚于平台当前时间") || strings.Count(res.Rejected[0].Reason, "（北京时间）") != 2 {
			t.Errorf("future produced_at: %+v, want produced_at_in_future, both times labelled Beijing time", res)
		}
		pushes := records.NewPushes(db, nil, func() time.Time { return now })
		_, err := pushes.Push(f.pusher, f.hj, records.Op{Op: "add", SubjectID: recordstest.CitizenID(3), ProducedAt: now.Add(time.Hour),
			Values: map[string]string{"姓名": "王五"}})
		if e := errs.As(err); e == nil || e.Code != "produced_at_in_future" || e.Kind != errs.Invalid {
			t.Errorf("single future op: %v, want produced_at_in_future", err)
		}
		res = f.push(f.pusher, f.hj, line("add", recordstest.CitizenID(4), now.Add(records.MaxClockSkew), map[string]string{"姓名": "赵六"}, ""), records.Options{})
		if res.Applied != 1 || res.Late != 0 {
			t.Errorf("clock a little ahead: %+v", res)
		}
		qs, err := records.EntryQuality(f.ctx, db.Read(), nil, f.hj, 0, now)
		if err != nil || len(qs) != 1 || qs[0].Ops != 1 {
			t.Fatalf("quality: %+v %v", qs, err)
		}
		if n := f.count("record_versions"); n != 1 {
			t.Errorf("versions = %d, want 1", n)
		}
	})
}

// TestOpKeyReusedForAnotherOperation: an operation key applied before to
// a record, sent again with another operation (other values, another
// time, another kind), is refused as idempotency_key_reused (a conflict
// pushed alone, a refused line in a batch, also within one batch); the
// same operation again is a duplicate.
func TestOpKeyReusedForAnotherOperation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		add := records.Op{Op: "add", SubjectID: p1, ProducedAt: monday, Values: map[string]string{"姓名": "张三", "出生日期": "1990-01-01"}, Key: "k1"}
		change := records.Op{Op: "change", SubjectID: p1, ProducedAt: monday.Add(time.Minute), Values: map[string]string{"户籍地址": "桂城", "姓名": "张三"}, Key: "k2"}
		pushes := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		for _, op := range []records.Op{add, change} {
			if res, err := pushes.Push(f.pusher, f.hj, op); err != nil || res.Applied != 1 {
				t.Fatalf("%s: %+v %v", op.Op, res, err)
			}
		}
		clone := func(op records.Op, edit func(*records.Op)) records.Op {
			vals := map[string]string{}
			for k, v := range op.Values {
				vals[k] = v
			}
			op.Values = vals
			edit(&op)
			return op
		}
		for name, op := range map[string]records.Op{
			"add again":               add,
			"add, date written so":    clone(add, func(o *records.Op) { o.Values["出生日期"] = "19900101" }),
			"change again":            change,
			"change, subset of items": clone(change, func(o *records.Op) { delete(o.Values, "姓名") }),
		} {
			if res, err := pushes.Push(f.pusher, f.hj, op); err != nil || res.Duplicates != 1 || res.Applied != 0 {
				t.Errorf("%s: %+v %v, want a duplicate", name, res, err)
			}
		}
		for name, op := range map[string]records.Op{
			"add, other values":    clone(add, func(o *records.Op) { o.Values["姓名"] = "张三丰" }),
			"add, fewer values":    clone(add, func(o *records.Op) { delete(o.Values, "出生日期") }),
			"add, other time":      clone(add, func(o *records.Op) { o.ProducedAt = monday.Add(time.Second) }),
			"change, other value":  clone(change, func(o *records.Op) { o.Values["户籍地址"] = "大沥" }),
			"change, other item":   clone(change, func(o *records.Op) { o.Values["出生日期"] = "1991-01-01" }),
			"change, clears item":  clone(change, func(o *records.Op) { o.Values["户籍地址"] = "" }),
			"cancel under add key": clone(add, func(o *records.Op) { o.Op, o.Values = "cancel", nil }),
		} {
			_, err := pushes.Push(f.pusher, f.hj, op)
			if e := errs.As(err); e == nil || e.Code != "idempotency_key_reused" || e.Kind != errs.Conflict {
				t.Errorf("%s: %v, want idempotency_key_reused (conflict)", name, err)
			}
		}
		// In a batch: against the records, and between two lines.
		res := f.pushRefused(line("change", p1, monday.Add(time.Minute), map[string]string{"户籍地址": "大沥"}, "k2") +
			line("change", p1, monday.Add(time.Hour), map[string]string{"户籍地址": "里水"}, "k3") +
			line("change", p1, monday.Add(time.Hour), map[string]string{"户籍地址": "九江"}, "k3"))
		if res.RejectedCount != 2 || res.Rejected[0].Line != 1 || res.Rejected[0].Code != "idempotency_key_reused" ||
			res.Rejected[1].Line != 3 || res.Rejected[1].Code != "idempotency_key_reused" {
			t.Errorf("batch reusing keys: %+v", res)
		}
		if n := f.count("record_versions"); n != 2 {
			t.Errorf("versions = %d, want 2", n)
		}
	})
}

// TestUnchangedChangeKeepsItsKey: a change acknowledged as unchanged
// writes no version, but its key is the record's as an applied
// operation's is: another operation under it is refused
// (idempotency_key_reused), in a later batch and pushed alone, and the
// same operation resent after a later change is a duplicate, not applied
// again over that change. Both are found among new lines too, whose keys
// a batch does not look up.
func TestUnchangedChangeKeepsItsKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "张三", "户籍地址": "桂城"}, "a1")+
			line("add", p2, monday, map[string]string{"姓名": "李四"}, "a2"), records.Options{})
		same := line("change", p1, monday.Add(time.Minute), map[string]string{"户籍地址": "桂城"}, "u1")
		if res := f.push(f.pusher, f.hj, same, records.Options{}); res.Unchanged != 1 || res.Applied != 0 || res.Duplicates != 0 {
			t.Fatalf("unchanged change: %+v", res)
		}
		pushes := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		if res, err := pushes.Push(f.pusher, f.hj, records.Op{Op: "change", SubjectID: p2, ProducedAt: monday.Add(time.Minute),
			Values: map[string]string{"姓名": "李四"}, Key: "u2"}); err != nil || res.Unchanged != 1 {
			t.Fatalf("unchanged change pushed alone: %+v %v", res, err)
		}

		// Another operation under those keys.
		res := f.pushRefused(line("change", p1, monday.Add(time.Minute), map[string]string{"户籍地址": "大沥"}, "u1"))
		if res.RejectedCount != 1 || res.Rejected[0].Code != "idempotency_key_reused" || res.Rejected[0].Field != "key" {
			t.Errorf("another change under an unchanged change's key: %+v, want idempotency_key_reused", res)
		}
		res = f.pushRefused(people(10, 20) + line("change", p2, monday.Add(time.Minute), map[string]string{"姓名": "王五"}, "u2"))
		if res.RejectedCount != 1 || res.Rejected[0].Line != 11 || res.Rejected[0].Code != "idempotency_key_reused" {
			t.Errorf("the same among new lines: %+v, want line 11 idempotency_key_reused", res)
		}
		_, err := pushes.Push(f.pusher, f.hj, records.Op{Op: "change", SubjectID: p1, ProducedAt: monday.Add(2 * time.Minute),
			Values: map[string]string{"姓名": "张三丰"}, Key: "u1"})
		if e := errs.As(err); e == nil || e.Code != "idempotency_key_reused" || e.Kind != errs.Conflict {
			t.Errorf("another change under the key pushed alone: %v, want idempotency_key_reused (conflict)", err)
		}
		// The key is the record's: on another record it is another operation.
		if res := f.push(f.pusher, f.hj, line("change", p2, monday.Add(time.Minute), map[string]string{"户籍地址": "桂城"}, "u1"), records.Options{}); res.Applied != 1 {
			t.Errorf("the key on another record: %+v, want applied", res)
		}

		// A later change, then the unchanged one resent: a duplicate, alone,
		// among new lines and pushed alone; the record keeps the later value.
		p3 := recordstest.CitizenID(3)
		f.push(f.pusher, f.hj, line("add", p3, monday, map[string]string{"姓名": "赵六", "户籍地址": "里水"}, "a3"), records.Options{})
		same = line("change", p3, monday.Add(time.Minute), map[string]string{"户籍地址": "里水"}, "u3")
		if res := f.push(f.pusher, f.hj, same, records.Options{}); res.Unchanged != 1 {
			t.Fatalf("unchanged change: %+v", res)
		}
		if res := f.push(f.pusher, f.hj, line("change", p3, monday.Add(3*time.Minute), map[string]string{"户籍地址": "九江"}, "c3"), records.Options{}); res.Applied != 1 {
			t.Fatalf("later change: %+v", res)
		}
		if res := f.push(f.pusher, f.hj, same, records.Options{}); res.Duplicates != 1 || res.Applied != 0 || res.Unchanged != 0 {
			t.Errorf("unchanged change resent after a later change: %+v, want a duplicate", res)
		}
		if res := f.push(f.pusher, f.hj, people(20, 30)+same, records.Options{}); res.Duplicates != 1 || res.Applied != 10 || res.Unchanged != 0 {
			t.Errorf("the same among new lines: %+v, want applied 10, a duplicate", res)
		}
		if res, err := pushes.Push(f.pusher, f.hj, records.Op{Op: "change", SubjectID: p3, ProducedAt: monday.Add(time.Minute),
			Values: map[string]string{"户籍地址": "里水"}, Key: "u3"}); err != nil || res.Duplicates != 1 || res.Applied != 0 {
			t.Errorf("the same pushed alone: %+v %v, want a duplicate", res, err)
		}
		r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, f.hj), p3)
		if err != nil || r.Version != 2 || r.Values["户籍地址"] != "九江" {
			t.Errorf("record after the resent unchanged change: version %d at %s, %v; want version 2 at 九江", r.Version, r.Values["户籍地址"], err)
		}

		// Within one batch, chunks apart (a chunk is 500 operations on
		// SQLite, 5,000 on PostgreSQL), in an entry that kept no key before:
		// another change under the key of an unchanged one is refused, the
		// same change is a duplicate.
		fresh := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000002", Name: "户籍人口信息二",
			SubjectKind: "person", Items: personItems[:4]})
		f.push(f.pusher, fresh, line("add", p3, monday, map[string]string{"姓名": "赵六"}, ""), records.Options{})
		unchanged := line("change", p3, monday.Add(time.Minute), map[string]string{"姓名": "赵六"}, "u4")
		res, err = records.Ingest(f.ctx, db, f.pusher, fresh, records.JSONLines(strings.NewReader(unchanged+people(1000, 7000)+
			line("change", p3, monday.Add(time.Minute), map[string]string{"姓名": "赵七"}, "u4"))), f.receivedAt, records.Options{})
		if err != nil || res.RejectedCount != 1 || res.Rejected[0].Line != 6002 || res.Rejected[0].Code != "idempotency_key_reused" {
			t.Errorf("another change under the key chunks later: %+v %v, want line 6002 idempotency_key_reused", res.Rejected, err)
		}
		if res := f.push(f.pusher, fresh, unchanged+people(1000, 7000)+unchanged, records.Options{}); res.Applied != 6000 || res.Unchanged != 1 || res.Duplicates != 1 {
			t.Errorf("the same change chunks later: %+v, want applied 6000, unchanged 1, a duplicate", res)
		}
	})
}

// TestUnchangedKeyKeptWhileWaiting: on PostgreSQL a batch that waits for
// the entry's counters while another commits the entry's first kept key
// of an unchanged change still finds that key: the change resent is a
// duplicate (it failed on the key's primary key), another change under
// the key is refused (it was applied). The UPDATE that waited re-reads
// the counters' row, but a subquery of it reads the tables as they were
// when it started.
func TestUnchangedKeyKeptWhileWaiting(t *testing.T) {
	db := sqldbtest.Postgres(t)
	f := setup(t, db)
	p1 := recordstest.CitizenID(1)
	f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "张三"}, "a1"), records.Options{})
	for _, c := range []struct {
		name, value, key string
		check            func(res records.BatchResult) bool
	}{
		{"the unchanged change resent", "张三", "u1", func(res records.BatchResult) bool { return res.Duplicates == 1 && res.Unchanged == 0 }},
		{"another change under its key", "李四", "u2", func(res records.BatchResult) bool {
			return res.RejectedCount == 1 && res.Rejected[0].Code == "idempotency_key_reused"
		}},
	} {
		// What a batch acknowledging the unchanged change commits (its key,
		// the entry's first), while it holds the entry's counters.
		if _, err := db.Write().ExecContext(f.ctx, `DELETE FROM record_unchanged_keys`); err != nil {
			t.Fatal(err)
		}
		locked, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			done <- db.Tx(f.ctx, func(tx *sqldb.Tx) error {
				// Locked as a batch's UPDATE does, after this batch created
				// the counters' row if missing (INSERT … ON CONFLICT would
				// wait for an UPDATE's new row version, not for a lock).
				if _, err := tx.ExecContext(f.ctx, `SELECT 1 FROM record_entry_stats WHERE entry_id = $1 FOR UPDATE`, f.hj); err != nil {
					return err
				}
				if _, err := tx.ExecContext(f.ctx, `INSERT INTO record_unchanged_keys (entry_id, subject_id, op_key, produced_at, vals, batch_id,
					kept_at) VALUES ($1, $2, $3, $4, '{"姓名":"张三"}', 0, $5)`, f.hj, p1, c.key, monday.Add(time.Minute), f.receivedAt); err != nil {
					return err
				}
				close(locked)
				<-release
				return nil
			})
		}()
		<-locked
		type result struct {
			res records.BatchResult
			err error
		}
		got := make(chan result, 1)
		go func() {
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.JSONLines(strings.NewReader(
				line("change", p1, monday.Add(time.Minute), map[string]string{"姓名": c.value}, c.key))), f.receivedAt, records.Options{})
			got <- result{res, err}
		}()
		sqldbtest.AwaitLockWait(t, db, c.name+": the batch does not wait for the counters' lock")
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		r := <-got
		if r.err != nil || !c.check(r.res) {
			t.Errorf("%s, sent while the key was being kept: %+v %v", c.name, r.res, r.err)
		}
	}
}
