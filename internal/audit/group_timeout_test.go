package audit_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestGroupRoundTimesOut: while the audit head cannot be taken, the
// callers of a Group fail once a round's bound has passed, where they
// waited for as long as the lock was held, with database_unavailable (the
// database busy, 数据库繁忙), not audit_unavailable, which says the log
// cannot be written (a full disk, a read-only database); none of
// their rows is stored, and the rows recorded once the head is free chain
// on from the last one committed.
func TestGroupRoundTimesOut(t *testing.T) {
	const bound = 500 * time.Millisecond
	defer audit.SetRoundTimeout(bound)()
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		g := audit.NewGroup(db)
		record := func(subject string) error {
			return g.Record(audit.Event{Action: "records.read", ObjectType: "catalog_entry", ObjectID: "1", SubjectID: subject}, t0)
		}
		if err := record("before"); err != nil {
			t.Fatal(err)
		}

		release := sqldbtest.HoldAuditHead(t, db)
		const callers = 3
		errc := make(chan error, callers)
		for i := range callers {
			go func() { errc <- record(fmt.Sprint("held-", i)) }()
		}
		// The callers share at most three rounds, each ending at its bound.
		deadline := time.After(callers*bound + 10*time.Second)
		for range callers {
			select {
			case err := <-errc:
				if e := errs.As(err); e == nil || e.Kind != errs.Unavailable || e.Code != "database_unavailable" || !strings.HasPrefix(e.Message, "数据库繁忙") {
					t.Errorf("a read recorded while the audit head is held: %v, want database_unavailable 数据库繁忙", err)
				}
			case <-deadline:
				release()
				t.Fatal("a read still waits for its audit row while the audit head is held")
			}
		}
		release()

		if err := record("after"); err != nil {
			t.Fatalf("once the audit head is free: %v", err)
		}
		if rep := verify(t, db); rep.Problem != nil || rep.Rows != 2 {
			t.Fatalf("log after the rounds that timed out: %+v, want intact with the 2 rows recorded", rep)
		}
		var held int
		if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM audit_log WHERE subject_id LIKE 'held-%'`).Scan(&held); err != nil {
			t.Fatal(err)
		}
		if held != 0 {
			t.Errorf("%d rows of the rounds that timed out stored", held)
		}
	})
}
