package records_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLifetimeNumberRace: with the holder's only permit stored whole
// (H3234567801) cancelled, batch A adds the typed lifetime number
// H32345678 (a new record under it) while batch B adds the whole number
// again, each under its own subject. A is held after writing, before it
// commits: B must not look its forms up before A commits (on PostgreSQL
// it waits for the entry's counters A locked, ingest.run), so it meets
// A's record and is refused record_exists, leaving one live record of
// the holder. (SQLite has one writer: B runs after A.)
func TestLifetimeNumberRace(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		document := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000143", Name: "境外人员参保信息", SubjectKind: "person",
			Items: []records.Item{{Name: "证件类型", Type: "C", Length: 20}, {Name: "证件号码", Type: "C", Length: 32, IdentifiesSubject: true},
				{Name: "姓名", Type: "C", Length: 10}}})
		at := func(m int) time.Time { return monday.Add(time.Duration(m) * time.Minute) }
		for _, l := range []string{line("add", "H3234567801", at(0), map[string]string{"证件类型": "其他", "姓名": "甲"}, ""),
			line("cancel", "H3234567801", at(1), nil, "")} {
			if res := f.push(f.rsjPusher, document, l, records.Options{}); res.Applied != 1 {
				t.Fatalf("%s: %+v", l, res)
			}
		}
		a := line("add", "H32345678", at(2), map[string]string{"证件类型": "港澳居民来往内地通行证", "姓名": "乙"}, "")
		b := line("add", "H3234567801", at(2), map[string]string{"证件类型": "其他", "姓名": "丙"}, "")
		type outcome struct {
			res records.BatchResult
			err error
		}
		push := func(body string, progress func(int)) outcome {
			res, err := records.Ingest(f.ctx, db, f.rsjPusher, document, records.JSONLines(strings.NewReader(body)), f.receivedAt,
				records.Options{Progress: progress})
			return outcome{res, err}
		}
		var oa, ob outcome
		if db.Dialect != sqldb.Postgres {
			oa, ob = push(a, nil), push(b, nil)
		} else {
			written, release := make(chan struct{}), make(chan struct{})
			doneA, doneB := make(chan outcome, 1), make(chan outcome, 1)
			go func() {
				doneA <- push(a, func(int) { close(written); <-release })
			}()
			select {
			case <-written:
			case o := <-doneA:
				t.Fatalf("batch A ended before its progress: %+v, %v", o.res, o.err)
			}
			go func() { doneB <- push(b, nil) }()
			// Release A once B waits on a lock, or has ended.
			ctx, cancel := context.WithTimeout(f.ctx, 30*time.Second)
			defer cancel()
			for len(doneB) == 0 {
				var waiting int
				if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
					WHERE NOT l.granted AND a.datname = current_database()`).Scan(&waiting); err != nil {
					close(release)
					t.Fatal(err)
				}
				if waiting > 0 {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
			close(release)
			oa, ob = <-doneA, <-doneB
		}
		if oa.err != nil || oa.res.Applied != 1 {
			t.Fatalf("batch A: %+v, %v; want applied", oa.res, oa.err)
		}
		if ob.err != nil || ob.res.Applied != 0 || len(ob.res.Rejected) != 1 || ob.res.Rejected[0].Code != "record_exists" {
			t.Errorf("batch B: %+v, %v; want refused record_exists", ob.res, ob.err)
		}
		var live int
		if err := db.Read().QueryRowContext(f.ctx, `SELECT live_records FROM record_entry_stats WHERE entry_id = $1`, document).Scan(&live); err != nil {
			t.Fatal(err)
		}
		if live != 1 {
			t.Errorf("%d live records of the holder, want 1", live)
		}
	})
}
