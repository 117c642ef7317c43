package records_test

import (
	"encoding/json"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDisputedDueAtAsDiscrepancy: a record's disputed[].due_at is written
// as the discrepancy's due_at is (RFC 3339 with its fraction, 23:59:59.999999),
// where the record cut the fraction off and the two disagreed on the same
// deadline. On both engines.
func TestDisputedDueAtAsDiscrepancy(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, _, d1, _ := f.twoDisputedNames()
		b, err := json.Marshal(f.get(d1[0].ID))
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			DueAt string `json:"due_at"`
		}
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
		got := f.disputes(f.hj, p1)
		if len(got) != 1 || got[0].DueAt != d.DueAt {
			t.Errorf("record's disputed due_at %+v, want the discrepancy's %s", got, d.DueAt)
		}
	})
}
