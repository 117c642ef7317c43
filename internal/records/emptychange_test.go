package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestChangeThatEmptiesRecord: a change that would clear every value an
// active record holds is refused (missing_values, pointing to cancel), in
// a batch and pushed alone, as an add of no value is, where it left an
// active record of nothing; clearing some of its values is applied.
func TestChangeThatEmptiesRecord(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		at := func(m int) string { return monday.Add(time.Duration(m) * time.Minute).Format(time.RFC3339) }
		op := func(kind string, m int, vals string) string {
			return `{"op":"` + kind + `","subject_id":"` + p1 + `","produced_at":"` + at(m) + `","values":` + vals + "}\n"
		}
		f.push(f.pusher, f.hj, op("add", 0, `{"出生日期":"1960-01-02","户籍地址":"桂城"}`), records.Options{})
		if res := f.push(f.pusher, f.hj, op("change", 1, `{"户籍地址":""}`), records.Options{}); res.Applied != 1 {
			t.Fatalf("clearing one of two values: %+v, want applied", res)
		}
		res := f.pushRefused(op("change", 2, `{"出生日期":""}`))
		if res.RejectedCount != 1 || res.Rejected[0].Code != "missing_values" || res.Rejected[0].Field != "values" ||
			!strings.Contains(res.Rejected[0].Reason, "cancel") {
			t.Errorf("change clearing the last value: %+v, want missing_values suggesting cancel", res)
		}
		res = f.pushRefused(op("change", 2, `{"出生日期":null,"户籍地址":" "}`))
		if res.RejectedCount != 1 || res.Rejected[0].Code != "missing_values" {
			t.Errorf("change clearing the last value with null: %+v, want missing_values", res)
		}
		p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		_, err := p.Push(f.pusher, f.hj, records.Op{Op: "change", SubjectID: p1, ProducedAt: monday.Add(3 * time.Minute), Values: map[string]string{"出生日期": ""}})
		if e := errs.As(err); e == nil || e.Code != "missing_values" || e.Kind != errs.Invalid {
			t.Errorf("change clearing the last value pushed alone: %v; want missing_values", err)
		}
		r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, f.hj), p1)
		if err != nil || r.Values["出生日期"] != "1960-01-02" || len(r.Values) != 1 {
			t.Errorf("record: %+v, %v; want 出生日期 kept", r, err)
		}
		// Clearing the last value and setting another is a change.
		if res := f.push(f.pusher, f.hj, op("change", 4, `{"出生日期":"","户籍地址":"大沥"}`), records.Options{}); res.Applied != 1 {
			t.Errorf("clearing one value and setting another: %+v, want applied", res)
		}
	})
}
