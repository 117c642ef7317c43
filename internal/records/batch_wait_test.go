package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// batchRefused ingests a batch of three people under key and checks that
// it is refused as the database unavailable (database_unavailable, 503)
// before hanging gives up on it, letting go with release then.
func batchRefused(t *testing.T, f *fixture, key string, release func()) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := records.Ingest(f.ctx, f.db, f.pusher, f.hj, records.JSONLines(strings.NewReader(people(0, 3))), f.receivedAt,
			records.Options{BatchKey: key})
		done <- err
	}()
	select {
	case err := <-done:
		// As the API answers it (api.ProblemFor).
		e := errs.As(err)
		if u := sqldb.Unavailable(err); u != nil {
			e = u
		}
		if e == nil || e.Kind != errs.Unavailable || e.Code != "database_unavailable" {
			t.Errorf("a batch while the database does not answer: %v, want database_unavailable", err)
		}
	case <-time.After(8 * time.Second):
		release()
		t.Fatal("a batch still waits for a database that does not answer, past its bound")
	}
}

// TestBatchWaitBounded: a batch waiting for what another transaction holds
// (on PostgreSQL an administrator's LOCK TABLE audit_head IN ACCESS
// EXCLUSIVE MODE, which its audit row waits for as it commits; on SQLite
// the one writer, held by a transaction of the process) is refused
// database_unavailable once its wait bound has passed, while the lock is
// still held, where it was answered 201 once the lock was let go (58.7 s
// in the audit); it applied nothing, and sent again under its key once
// the lock is let go (tried again while it outlasts the short bound with
// nothing held, as on a loaded machine), it is applied, not replayed.
func TestBatchWaitBounded(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{WaitTimeout: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		f := setup(t, db)
		release := sqldbtest.HoldWrite(t, db, "audit_head")
		batchRefused(t, f, "k1", release)
		release()

		if n := f.count(allRecords); n != 0 {
			t.Fatalf("%d records after the batch refused, want none", n)
		}
		var res records.BatchResult
		if err := sqldbtest.RetryWaits(func() (err error) {
			res, err = records.Ingest(f.ctx, f.db, f.pusher, f.hj, records.JSONLines(strings.NewReader(people(0, 3))), f.receivedAt,
				records.Options{BatchKey: "k1"})
			return err
		}); err != nil {
			t.Fatalf("the batch sent again once the lock is let go: %v", err)
		}
		if res.Replayed || res.Applied != 3 {
			t.Errorf("the batch sent again once the lock is let go: %+v, want 3 applied, not replayed", res)
		}
	})
}

// TestBatchBoundedStalledServer: on a PostgreSQL server that has stopped
// answering (its connections held, as under SIGSTOP), a batch is refused
// database_unavailable within its wait bound, where it waited for as long
// as the server was stopped, on the reads before its transaction.
func TestBatchBoundedStalledServer(t *testing.T) {
	dsn, stall := sqldbtest.Stalling(t, sqldbtest.PostgresDSN(t))
	db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{WaitTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := setup(t, db)
	stall.Store(true)
	release := func() { stall.Store(false) }
	defer release()
	batchRefused(t, f, "k1", release)
	release()
	if n := f.count(allRecords); n != 0 {
		t.Fatalf("%d records after the batch refused, want none", n)
	}
}
