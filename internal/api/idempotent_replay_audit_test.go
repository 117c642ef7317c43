package api

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestIdempotentReplayLeavesNoRefusalRows: a request under an
// Idempotency-Key refused for what a concurrent request under the key
// committed meanwhile, and so answered with that request's answer
// (TestIdempotentRefusalRaced), leaves none of the refusal's audit rows
// (afterTx): the client was told the first request's answer, as a retry
// is, and a retry's replay leaves no row. The denied row said the request
// was refused while its client was answered 201. A refusal of its own,
// under a key no request committed, still leaves its row. The chain
// verifies. The race is TestIdempotentRefusalRaced's (regionRace.raced):
// on PostgreSQL ours runs beside the concurrent request and its handler,
// finding the region once it commits, is refused and leaves its row; on
// SQLite ours waits for the writer and finds the key in its transaction,
// its handler never run.
func TestIdempotentReplayLeavesNoRefusalRows(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rr := newRegionRace(db, func(rr *regionRace, _ http.ResponseWriter, r *http.Request) error {
			if err := rr.a.afterTx(r, audit.Event{Actor: rr.p.Actor, Action: "region.create", ObjectType: "region",
				ObjectID: "440000", Outcome: audit.Denied, Detail: audit.Detail("reason", "region_exists")}); err != nil {
				return err
			}
			return errs.E(errs.Conflict, "region_exists", "行政区划已存在")
		})
		ctx := rr.ctx
		denied := func() int {
			t.Helper()
			var n int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'region.create'
				AND outcome = 'denied'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		rr.raced(t)
		if n := denied(); n != 0 {
			t.Errorf("answered with the concurrent request's answer: %d denied region.create rows, want none", n)
		}

		// Under another key, which no request committed: refused, its row written.
		err := rr.a.idempotent(httptest.NewRecorder(), rr.request("k-2"), rr.rt)
		if e := errs.As(err); e == nil || e.Code != "region_exists" {
			t.Fatalf("the region again under a new key: %v, want region_exists", err)
		}
		if n := denied(); n != 1 {
			t.Errorf("refused under a key no request committed: %d denied region.create rows, want 1", n)
		}
		if rep, err := audit.Verify(ctx, db.Read()); err != nil || rep.Problem != nil {
			t.Errorf("audit chain: %+v, %v", rep.Problem, err)
		}
	})
}
