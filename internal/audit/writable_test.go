package audit_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCheckWritable: after a Group's round failed to append, CheckWritable
// fails for as long as the log cannot be written, and succeeds again, by
// its probe, once it can, before any append does; its probes add no row
// and leave the head where it was, and appends chain on after them.
func TestCheckWritable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		g := audit.NewGroup(db)
		ev := audit.Event{Actor: audit.Actor{Kind: audit.ActorApp, ID: "1"}, Action: "records.read",
			ObjectType: "catalog_entry", ObjectID: "1", SubjectID: "s"}
		if err := g.Record(ev, t0); err != nil {
			t.Fatal(err)
		}
		if err := audit.CheckWritable(t.Context(), db, t0); err != nil {
			t.Fatalf("with the log writable: %v", err)
		}
		head := func() (seq int64, hash string) {
			t.Helper()
			if err := db.Read().QueryRowContext(t.Context(), `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash); err != nil {
				t.Fatal(err)
			}
			return seq, hash
		}
		seq, hash := head()

		unblock := sqldbtest.BlockAudit(t, db)
		if err := audit.CheckWritable(t.Context(), db, t0); err != nil {
			t.Fatalf("before any append failed: %v, want nil (no probe)", err)
		}
		if err := g.Record(ev, t0); err == nil {
			t.Fatal("append with the log unwritable succeeded")
		}
		for i := range 3 {
			if err := audit.CheckWritable(t.Context(), db, t0); err == nil {
				t.Fatalf("check %d with the log unwritable: nil, want an error", i)
			}
		}
		unblock()
		if err := audit.CheckWritable(t.Context(), db, t0); err != nil {
			t.Fatalf("once the log is writable again: %v", err)
		}
		if s, h := head(); s != seq || h != hash {
			t.Errorf("head after the probes: %d %s, want %d %s", s, h, seq, hash)
		}
		if rep := verify(t, db); rep.Problem != nil || rep.Rows != 1 {
			t.Errorf("after the probes: %+v, want 1 row", rep)
		}
		if err := g.Record(ev, t0); err != nil {
			t.Fatal(err)
		}
		if rep := verify(t, db); rep.Problem != nil || rep.Rows != 2 {
			t.Errorf("after an append following the probes: %+v, want 2 rows", rep)
		}
	})
}
