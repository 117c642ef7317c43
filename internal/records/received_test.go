package records_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestResendKeepsNoEntryFresh: an entry's last_received_at moves only
// when a push applies something: an old add sent again without a key
// (a duplicate), or a change to the values the record holds (unchanged),
// applied nothing, and moved it, so that a source resending one old
// record daily kept its entry from ever being stale. A batch that
// arrived before the last applied one, committed after it, does not move
// it back.
func TestResendKeepsNoEntryFresh(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		add := line("add", p1, monday, map[string]string{"姓名": "甲"}, "")
		f.push(f.pusher, f.hj, add, records.Options{})
		last := func(want time.Time, what string) {
			t.Helper()
			q := f.quality(f.hj)
			if q.LastReceivedAt == nil || !q.LastReceivedAt.Equal(want) {
				t.Errorf("%s: last_received_at %v, want %v", what, q.LastReceivedAt, want)
			}
		}
		last(f.receivedAt, "after the add")
		for day := 1; day <= 3; day++ {
			at := f.receivedAt.Add(time.Duration(day) * 24 * time.Hour)
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, jsonLines(add+line("change", p1, monday.Add(time.Duration(day)*time.Second),
				map[string]string{"姓名": "甲"}, "")),
				at, records.Options{})
			if err != nil || res.Applied != 0 || res.Duplicates != 1 || res.Unchanged != 1 {
				t.Fatalf("resend on day %d: %+v, %v; want a duplicate and an unchanged change", day, res, err)
			}
			p := records.NewPushes(db, nil, func() time.Time { return at })
			if res, err := p.Push(f.pusher, f.hj, records.Op{Op: "add", SubjectID: p1, ProducedAt: monday,
				Values: map[string]string{"姓名": "甲"}}); err != nil || res.Duplicates != 1 {
				t.Fatalf("resend pushed alone on day %d: %+v, %v; want a duplicate", day, res, err)
			}
		}
		last(f.receivedAt, "after resends that applied nothing")
		// Thursday: the daily entry that received nothing new since
		// Monday is stale.
		if s := staleOn(t, f, monday.Add(3*24*time.Hour)); !s.has(f.hj) {
			t.Errorf("stale on Thursday: %+v, want 户籍人口信息 among them", s)
		}

		later := f.receivedAt.Add(2 * time.Hour)
		if res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, jsonLines(line("change", p1, monday.Add(time.Minute),
			map[string]string{"姓名": "乙"}, "")), later, records.Options{}); err != nil || res.Applied != 1 {
			t.Fatalf("change: %+v, %v", res, err)
		}
		last(later, "after a change applied")
		if res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, jsonLines(line("change", p1, monday.Add(2*time.Minute),
			map[string]string{"姓名": "丙"}, "")), later.Add(-time.Hour), records.Options{}); err != nil || res.Applied != 1 {
			t.Fatalf("change received earlier: %+v, %v", res, err)
		}
		last(later, "after a change received before the last one")
	})
}

// TestPushJudgedByArrival: an operation pushed alone is judged on time by
// when it arrived, not when its round of pushes began: one received at
// 23:59:59 that queued behind a round the database held past midnight
// was counted late (real-time rule: before the next working day), and its
// version stamped with the round's time. Its answer, version and the
// entry's last_received_at say when it arrived.
func TestPushJudgedByArrival(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		licences := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000005", Name: "准迁证信息", SubjectKind: "person",
			UpdateFrequency: "realtime", Items: personItems[:2]})
		bj := calendar.Location()
		produced := time.Date(2026, 3, 2, 23, 59, 0, 0, bj) // Monday
		arrived := time.Date(2026, 3, 2, 23, 59, 59, 0, bj)
		var mu sync.Mutex
		clock := arrived
		p := records.NewPushes(db, nil, func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			return clock
		})
		add := func(n int) records.Op {
			return records.Op{Op: "add", SubjectID: recordstest.CitizenID(n), ProducedAt: produced, Values: map[string]string{"姓名": "张三"}}
		}
		release := f.holdWrites()
		var wg sync.WaitGroup
		results := make([]records.BatchResult, 2)
		errs := make([]error, 2)
		wg.Go(func() { results[0], errs[0] = p.Push(f.pusher, licences, add(1)) })
		time.Sleep(300 * time.Millisecond) // the first round runs, and waits for the writer
		wg.Go(func() { results[1], errs[1] = p.Push(f.pusher, licences, add(2)) })
		time.Sleep(300 * time.Millisecond) // the second operation queues behind it
		mu.Lock()
		clock = time.Date(2026, 3, 3, 0, 0, 10, 0, bj) // Tuesday, a working day
		mu.Unlock()
		release()
		wg.Wait()
		for i, res := range results {
			if errs[i] != nil || res.Applied != 1 || res.Late != 0 || !res.ReceivedAt.Equal(arrived) {
				t.Errorf("push %d: %+v, %v; want applied on time, received at %v", i+1, res, errs[i], arrived)
			}
		}
		e := mustEntry(t, db, licences)
		for n := 1; n <= 2; n++ {
			h, err := records.History(f.ctx, db.Read(), e, recordstest.CitizenID(n))
			if err != nil || len(h) != 1 || !h[0].ReceivedAt.Equal(arrived) {
				t.Errorf("version of push %d: %+v, %v; want received at %v", n, h, err, arrived)
			}
		}
		if q := f.quality(licences); q.LateOps != 0 || q.LastReceivedAt == nil || !q.LastReceivedAt.Equal(arrived) {
			t.Errorf("quality: %d late, last received %v; want none late, %v", q.LateOps, q.LastReceivedAt, arrived)
		}
	})
}

func jsonLines(lines string) records.Source { return records.JSONLines(strings.NewReader(lines)) }

// staleList is records.Stale's answer.
type staleList []records.StaleEntry

// has reports whether entry is in the list.
func (l staleList) has(entry int64) bool {
	_, ok := l.find(entry)
	return ok
}

// find returns entry's line of the list, and whether it is in it.
func (l staleList) find(entry int64) (records.StaleEntry, bool) {
	for _, e := range l {
		if e.EntryID == entry {
			return e, true
		}
	}
	return records.StaleEntry{}, false
}

// staleOn is the stale report of every department at now.
func staleOn(t *testing.T, f *fixture, now time.Time) staleList {
	t.Helper()
	s, err := records.Stale(f.ctx, f.db.Read(), nil, 0, now)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLastReceivedAfterClockAhead: an operation applied while the clock
// was a month ahead does not keep its entry's last_received_at in the
// future once the clock is right again: the next operation applied sets
// it to its own receipt, and the entry is stale when nothing new follows,
// where a running maximum kept it fresh for the month. On both engines.
func TestLastReceivedAfterClockAhead(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "甲"}, ""), records.Options{})
		for i, at := range []time.Time{f.receivedAt.Add(30 * 24 * time.Hour), f.receivedAt.Add(time.Minute)} {
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, jsonLines(line("change", p1, monday.Add(time.Duration(i+1)*time.Second),
				map[string]string{"姓名": fmt.Sprint("乙", i)}, "")), at, records.Options{})
			if err != nil || res.Applied != 1 {
				t.Fatalf("change received at %v: %+v, %v", at, res, err)
			}
		}
		want := f.receivedAt.Add(time.Minute)
		if q := f.quality(f.hj); q.LastReceivedAt == nil || !q.LastReceivedAt.Equal(want) {
			t.Errorf("last_received_at %v, want %v, the receipt after the clock was put right", q.LastReceivedAt, want)
		}
		if s := staleOn(t, f, monday.Add(3*24*time.Hour)); !s.has(f.hj) {
			t.Errorf("stale on Thursday: %+v, want 户籍人口信息 among them", s)
		}
	})
}

// TestStaleAfterClockAheadThenSilent: an operation applied while the clock
// was a month ahead, after which the source only re-sends it (nothing
// applied, so last_received_at stays a month ahead): once the clock is
// right again the entry is judged stale, its last receipt unknown, by the
// stale report and its quality score, where it looked fresh for the
// month (review r6). The report gives the time of judging as its since,
// not the future receipt, which it gives as last_received_at. On both
// engines.
func TestStaleAfterClockAheadThenSilent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "甲"}, ""), records.Options{})
		change := line("change", p1, monday.Add(time.Second), map[string]string{"姓名": "乙"}, "")
		for _, at := range []time.Time{f.receivedAt.Add(30 * 24 * time.Hour), f.receivedAt.Add(time.Minute)} {
			if _, err := records.Ingest(f.ctx, db, f.pusher, f.hj, jsonLines(change), at, records.Options{}); err != nil {
				t.Fatal(err)
			}
		}
		thursday := monday.Add(3 * 24 * time.Hour)
		listed, stale := staleOn(t, f, thursday).find(f.hj)
		q, err := records.EntryQuality(f.ctx, db.Read(), nil, f.hj, 0, thursday)
		if err != nil {
			t.Fatal(err)
		}
		if !stale || q[0].StaleEntries != 1 {
			t.Errorf("on Thursday, last_received_at %v: listed stale %v, quality's stale entries %d; want stale",
				q[0].LastReceivedAt, stale, q[0].StaleEntries)
		}
		ahead := f.receivedAt.Add(30 * 24 * time.Hour)
		if stale && (!listed.Since.Equal(thursday) || listed.LastReceivedAt == nil || !listed.LastReceivedAt.Equal(ahead)) {
			t.Errorf("listed stale since %v, last received at %v; want since %v, last received at %v",
				listed.Since, listed.LastReceivedAt, thursday, ahead)
		}
	})
}
