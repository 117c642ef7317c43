package records_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testclock"
)

const day = 24 * time.Hour

// pushAt ingests lines received at the clock's time.
func (f *fixture) pushAt(clock *testclock.Clock, lines string) records.BatchResult {
	f.t.Helper()
	res, err := records.Ingest(f.ctx, f.db, f.pusher, f.hj, records.JSONLines(strings.NewReader(lines)), clock.Now(), records.Options{})
	if err != nil {
		f.t.Fatalf("ingest: %v", err)
	}
	return res
}

// TestUnchangedKeysPruned: the keys of unchanged changes kept before the
// cutoff are deleted, the later ones stay. Within the retention a change
// resent under its key is a duplicate and another operation under it is
// refused; after it, the key is free: another operation under it is a new
// one, applied.
func TestUnchangedKeysPruned(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		clock := testclock.New(f.receivedAt)
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		f.pushAt(clock, line("add", p1, monday, map[string]string{"姓名": "张三", "户籍地址": "桂城"}, "a1")+
			line("add", p2, monday, map[string]string{"姓名": "李四"}, "a2"))
		old := line("change", p1, monday.Add(time.Minute), map[string]string{"户籍地址": "桂城"}, "u1")
		oldOther := line("change", p1, monday.Add(time.Minute), map[string]string{"户籍地址": "大沥"}, "u1")
		if res := f.pushAt(clock, old); res.Unchanged != 1 {
			t.Fatalf("unchanged change: %+v", res)
		}
		clock.Add(20 * day)
		recent := line("change", p2, monday.Add(time.Minute), map[string]string{"姓名": "李四"}, "u2")
		recentOther := line("change", p2, monday.Add(time.Minute), map[string]string{"姓名": "王五"}, "u2")
		if res := f.pushAt(clock, recent); res.Unchanged != 1 {
			t.Fatalf("unchanged change: %+v", res)
		}
		clock.Add(11 * day)
		cutoff := clock.Now().Add(-records.DefaultUnchangedKeyRetention)

		// Kept, even past the retention, until pruned (a refused
		// operation under it does not keep it longer).
		if res := f.pushAt(clock, oldOther); res.RejectedCount != 1 || res.Rejected[0].Code != "idempotency_key_reused" {
			t.Errorf("another change under its key before pruning: %+v, want idempotency_key_reused", res)
		}

		n, err := records.PruneUnchangedKeys(f.ctx, db, cutoff)
		if err != nil || n != 1 {
			t.Fatalf("pruned %d, %v; want the key kept 31 days ago", n, err)
		}
		if n := f.count("record_unchanged_keys"); n != 1 {
			t.Errorf("%d keys left, want the one kept 11 days ago", n)
		}
		if n, err := records.PruneUnchangedKeys(f.ctx, db, cutoff); err != nil || n != 0 {
			t.Errorf("pruned again: %d, %v; want nothing", n, err)
		}

		// Within the retention: as before.
		if res := f.pushAt(clock, recent); res.Duplicates != 1 || res.Unchanged != 0 {
			t.Errorf("unchanged change resent within the retention: %+v, want a duplicate", res)
		}
		if res := f.pushAt(clock, recentOther); res.RejectedCount != 1 || res.Rejected[0].Code != "idempotency_key_reused" {
			t.Errorf("another change under its key within the retention: %+v, want idempotency_key_reused", res)
		}
		// After it: a new operation.
		if res := f.pushAt(clock, oldOther); res.Applied != 1 || res.RejectedCount != 0 {
			t.Errorf("another change under the pruned key: %+v, want applied", res)
		}
		r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, f.hj), p1)
		if err != nil || r.Version != 2 || r.Values["户籍地址"] != "大沥" {
			t.Errorf("record after the change under the pruned key: version %d at %s, %v; want version 2 at 大沥",
				r.Version, r.Values["户籍地址"], err)
		}
	})
}

// TestUnchangedKeyResentKept: a change resent under a kept key keeps the
// key a whole retention from the resend, so that a source that keeps
// resending it never has its old values applied anew over a later change.
func TestUnchangedKeyResentKept(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		clock := testclock.New(f.receivedAt)
		p1 := recordstest.CitizenID(1)
		f.pushAt(clock, line("add", p1, monday, map[string]string{"姓名": "张三", "户籍地址": "桂城"}, "a1"))
		stuck := line("change", p1, monday.Add(time.Minute), map[string]string{"户籍地址": "桂城"}, "u1")
		if res := f.pushAt(clock, stuck); res.Unchanged != 1 {
			t.Fatalf("unchanged change: %+v", res)
		}
		clock.Add(time.Hour)
		f.pushAt(clock, line("change", p1, monday.Add(time.Hour), map[string]string{"户籍地址": "大沥"}, "c1"))
		for range 3 {
			clock.Add(20 * day)
			if res := f.pushAt(clock, stuck); res.Duplicates != 1 {
				t.Errorf("unchanged change resent after %v: %+v, want a duplicate", clock.Now().Sub(f.receivedAt), res)
			}
			if n, err := records.PruneUnchangedKeys(f.ctx, db, clock.Now().Add(-records.DefaultUnchangedKeyRetention)); err != nil || n != 0 {
				t.Errorf("pruned %d, %v; want the resent key kept", n, err)
			}
		}
		r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, f.hj), p1)
		if err != nil || r.Values["户籍地址"] != "大沥" {
			t.Errorf("record after 60 days of resends: %s, %v; want 大沥", r.Values["户籍地址"], err)
		}
	})
}

// TestUnchangedKeysResentBatchKept: a batch resent whole, longer than a
// chunk, keeps the key of every one of its unchanged changes a whole
// retention from the resend, beside the duplicates of its applied lines;
// a key kept by another batch, not resent, is not kept longer.
func TestUnchangedKeysResentBatchKept(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		clock := testclock.New(f.receivedAt)
		const n = 600 // more than a chunk (500 operations)
		var adds, same string
		for i := range n {
			p := recordstest.CitizenID(i)
			adds += line("add", p, monday, map[string]string{"姓名": "张三"}, fmt.Sprintf("a%d", i))
			same += line("change", p, monday.Add(time.Minute), map[string]string{"姓名": "张三"}, fmt.Sprintf("u%d", i))
		}
		f.pushAt(clock, adds)
		if res := f.pushAt(clock, same); res.Unchanged != n {
			t.Fatalf("unchanged changes: %+v, want %d", res, n)
		}
		other := line("change", recordstest.CitizenID(0), monday.Add(time.Minute), map[string]string{"姓名": "张三"}, "other")
		if res := f.pushAt(clock, other); res.Unchanged != 1 {
			t.Fatalf("unchanged change: %+v", res)
		}
		clock.Add(20 * day)
		if res := f.pushAt(clock, adds+same); res.Duplicates != 2*n || res.Applied != 0 || res.Unchanged != 0 || res.RejectedCount != 0 {
			t.Fatalf("batch resent: %+v, want %d duplicates", res, 2*n)
		}
		if got, err := records.PruneUnchangedKeys(f.ctx, db, clock.Now()); err != nil || got != 1 {
			t.Errorf("pruned %d, %v at the resend's time; want the key not resent alone", got, err)
		}
		if got := f.count("record_unchanged_keys"); got != n {
			t.Errorf("%d keys left, want the %d resent", got, n)
		}
	})
}

// TestUnchangedKeysPrunedInBatches: a backlog is deleted a batch of keys
// at a time, and all of it; a key kept at the cutoff stays.
func TestUnchangedKeysPrunedInBatches(t *testing.T) {
	defer records.SetPruneBatch(3)()
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		clock := testclock.New(f.receivedAt)
		var adds, same string
		for i := range 8 {
			p := recordstest.CitizenID(i)
			adds += line("add", p, monday, map[string]string{"姓名": "张三"}, "")
			same += line("change", p, monday.Add(time.Minute), map[string]string{"姓名": "张三"}, "")
		}
		f.pushAt(clock, adds)
		if res := f.pushAt(clock, same); res.Unchanged != 8 {
			t.Fatalf("unchanged changes: %+v", res)
		}
		atCutoff := line("change", recordstest.CitizenID(8), monday.Add(2*time.Minute), map[string]string{"姓名": "张三"}, "")
		f.pushAt(clock, line("add", recordstest.CitizenID(8), monday, map[string]string{"姓名": "张三"}, ""))
		clock.Add(time.Second)
		if res := f.pushAt(clock, atCutoff); res.Unchanged != 1 {
			t.Fatalf("unchanged change: %+v", res)
		}
		n, err := records.PruneUnchangedKeys(f.ctx, db, clock.Now())
		if err != nil || n != 8 {
			t.Errorf("pruned %d, %v; want 8", n, err)
		}
		if n := f.count("record_unchanged_keys"); n != 1 {
			t.Errorf("%d keys left, want the one kept at the cutoff", n)
		}
	})
}

// TestMigrationTimesKeptKeys: the keys kept before migration 0015 are
// taken as kept when their batch was received; one whose batch is missing
// as kept when the database was migrated.
func TestMigrationTimesKeptKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "张三"}, "a1"), records.Options{})
		if res := f.push(f.pusher, f.hj, line("change", p1, monday.Add(time.Minute), map[string]string{"姓名": "张三"}, "u1"),
			records.Options{}); res.Unchanged != 1 {
			t.Fatalf("unchanged change: %+v", res)
		}
		for _, q := range []string{`DELETE FROM schema_migrations WHERE name = '0015_record_unchanged_keys_kept_at.sql'`,
			`DROP INDEX record_unchanged_keys_kept`, `ALTER TABLE record_unchanged_keys DROP COLUMN kept_at`} {
			if _, err := db.Write().ExecContext(f.ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Write().ExecContext(f.ctx, `INSERT INTO record_unchanged_keys (entry_id, subject_id, op_key, produced_at, vals, batch_id)
			VALUES ($1, $2, 'u0', $3, '{"姓名":"张三"}', 0)`, f.hj, p1, monday); err != nil {
			t.Fatal(err)
		}
		before := time.Now().Add(-time.Second)
		if _, err := db.Migrate(f.ctx); err != nil {
			t.Fatal(err)
		}
		after := time.Now().Add(time.Second)
		if n, err := records.PruneUnchangedKeys(f.ctx, db, f.receivedAt); err != nil || n != 0 {
			t.Errorf("pruned before the batch: %d, %v; want nothing", n, err)
		}
		if n, err := records.PruneUnchangedKeys(f.ctx, db, f.receivedAt.Add(time.Microsecond)); err != nil || n != 1 {
			t.Errorf("pruned after the batch: %d, %v; want its key", n, err)
		}
		if n, err := records.PruneUnchangedKeys(f.ctx, db, before); err != nil || n != 0 {
			t.Errorf("pruned before the migration: %d, %v; want nothing", n, err)
		}
		if n, err := records.PruneUnchangedKeys(f.ctx, db, after); err != nil || n != 1 {
			t.Errorf("pruned after the migration: %d, %v; want the key without its batch", n, err)
		}
	})
}
