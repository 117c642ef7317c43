package audit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOpenTransactionHoldsNoHead: a transaction that has recorded audit
// rows and stays open (a long catalog import records one per entry) keeps
// no other from appending: on PostgreSQL a concurrent transaction records
// its row and commits while the first is still open, without waiting for
// a lock (it waited for the log's head until the first committed: every
// audited read of every server, for the whole import). The first's rows
// are appended when it commits, after the second's: seqs are contiguous in
// commit order, each row keeps the time of its event, and the chain
// verifies. On SQLite the one writer runs them one after the other.
func TestOpenTransactionHoldsNoHead(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		appendN(t, db, 2)
		ev := func(id string) audit.Event { return gajEvent("catalog.import", id) }
		later := t0.Add(30 * time.Second)
		second := func() error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error { return audit.Record(ctx, tx, ev("B"), later) })
		}
		done := make(chan error, 1)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := audit.RecordAll(ctx, tx, []audit.Event{ev("A1"), ev("A2")}, t0); err != nil {
				return err
			}
			if db.Dialect != sqldb.Postgres {
				return nil
			}
			go func() { done <- second() }()
			for {
				select {
				case err := <-done:
					done <- err
					return nil
				default:
				}
				waits, err := sqldbtest.LockWaits(ctx, db)
				if err != nil {
					t.Fatal(err)
				}
				if waits > 0 {
					t.Error("a transaction recording waits for one that recorded and is still open")
					return nil // commits, letting the second through
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if db.Dialect != sqldb.Postgres {
			done <- second()
		}
		if err := <-done; err != nil {
			t.Fatalf("the second transaction: %v", err)
		}
		if rep := verify(t, db); rep.Problem != nil || rep.Rows != 5 || rep.Head != 5 {
			t.Fatalf("after both: %+v, want intact, 5 rows", rep)
		}
		entries, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "catalog.import"})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, fmt.Sprint(e.Seq, ":", e.ObjectID))
			at := t0
			if e.ObjectID == "B" {
				at = later
			}
			if !e.At.Equal(at.Truncate(time.Microsecond)) {
				t.Errorf("row %s at %v, want the time of its event, %v", e.ObjectID, e.At, at)
			}
		}
		want := "5:A2 4:A1 3:B" // in commit order
		if db.Dialect != sqldb.Postgres {
			want = "5:B 4:A2 3:A1"
		}
		if strings.Join(got, " ") != want {
			t.Fatalf("rows newest first %q, want %q", strings.Join(got, " "), want)
		}
	})
}
