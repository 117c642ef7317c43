package audit_test

import (
	"fmt"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestListCap: List reads at most MaxList rows at a time, the cap its
// callers (the API's limit, audit list's -limit) name: a larger limit
// serves MaxList rows and the cursor of the rest. On both engines.
func TestListCap(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		n := audit.MaxList + 2
		evs := make([]audit.Event, n)
		for i := range evs {
			evs[i] = audit.Event{Actor: audit.Actor{Kind: audit.ActorApp, ID: "k1", Name: "审批系统"},
				Action: "records.read", ObjectType: "catalog_entry", ObjectID: "3", SubjectID: fmt.Sprint("S", i)}
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return audit.RecordAll(ctx, tx, evs, t0) }); err != nil {
			t.Fatal(err)
		}
		page, next, err := audit.List(ctx, db.Read(), audit.Filter{Limit: audit.MaxList + 1})
		if err != nil || len(page) != audit.MaxList || next == 0 {
			t.Fatalf("limit %d of %d rows: %d rows, next %d, %v; want %d and a cursor", audit.MaxList+1, n, len(page), next, err, audit.MaxList)
		}
		if rest, next, err := audit.List(ctx, db.Read(), audit.Filter{Limit: audit.MaxList, Before: page[len(page)-1].Seq}); err != nil || len(rest) != 2 || next != 0 {
			t.Fatalf("the rest: %d rows, next %d, %v; want 2, no cursor", len(rest), next, err)
		}
	})
}
