package audit_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordCancelledNotUnavailable: a row recorded for a request whose
// client went away (its context cancelled) fails with the cancellation,
// not as the log unwritable (audit_unavailable), which the log would
// report as an outage; a row written after it is stored.
func TestRecordCancelledNotUnavailable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		// The client goes after the transaction's work, before its rows
		// are appended as it commits.
		gone, cancel := context.WithCancel(context.Background())
		ev := audit.Event{Action: "records.read", ObjectType: "catalog_entry", ObjectID: "1", SubjectID: "s"}
		err := db.Tx(gone, func(tx *sqldb.Tx) error {
			err := audit.Record(gone, tx, ev, t0)
			cancel()
			return err
		})
		if e := errs.As(err); !errors.Is(err, context.Canceled) || e != nil && e.Code == "audit_unavailable" {
			t.Fatalf("a row of a cancelled request: %v, want the cancellation, not audit_unavailable", err)
		}
		if err := db.Tx(context.Background(), func(tx *sqldb.Tx) error {
			return audit.Record(context.Background(), tx, ev, t0)
		}); err != nil {
			t.Fatal(err)
		}
	})
}
