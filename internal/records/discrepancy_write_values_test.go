package records_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepancyWriteWithoutValues: Feedback and Resolve answer the
// discrepancy without its two values (value_a, value_b), personal data
// that only a read with a purpose, audited, serves, where they answered
// them to any writer; the rest is answered, and the values stay stored.
func TestDiscrepancyWriteWithoutValues(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, _ := f.twoDisputedNames()
		var fb records.Discrepancy
		err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			var err error
			fb, err = records.Feedback(f.ctx, tx, records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}, d1[0].ID, "核实中", new(false), f.receivedAt)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		res, err := f.resolve(records.Reviewer{Actor: f.pusher.Actor, Operator: true}, d1[0].ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		for name, d := range map[string]records.Discrepancy{"feedback": fb, "resolve": res} {
			b, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			if s := string(b); strings.Contains(s, `"value_a"`) || strings.Contains(s, `"value_b"`) || strings.Contains(s, "黄静") {
				t.Errorf("%s answered the values: %s", name, s)
			}
			if d.ID != d1[0].ID || d.SubjectID != d1[0].SubjectID || d.ItemA != "姓名" {
				t.Errorf("%s answered %+v, want the discrepancy but its values", name, d)
			}
		}
		if res.Status != "awaiting_correction" || fb.FeedbackB != "核实中" {
			t.Errorf("feedback %+v, resolve %+v", fb, res)
		}
		got, err := records.GetDiscrepancy(f.ctx, db.Read(), d1[0].ID, f.receivedAt)
		if err != nil || got.ValueA != d1[0].ValueA || got.ValueB != d1[0].ValueB || got.ValueA == "" {
			t.Errorf("read after the writes: %+v, %v; want the values %q, %q", got, err, d1[0].ValueA, d1[0].ValueB)
		}
	})
}
