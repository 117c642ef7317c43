package records_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAddOfEmptyValues: an add whose values are all empty (an empty
// string, null, spaces) has no values, as an add without any: it is
// refused with missing_values, in a batch and pushed alone, and makes no
// record. Beside a value that is not empty, an empty one is left out.
func TestAddOfEmptyValues(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		const at = `"produced_at":"2026-03-02T10:00:00+08:00"`
		for _, vals := range []string{`{"姓名":""}`, `{"姓名":null}`, `{"姓名":"  ","户籍地址":""}`} {
			res := f.pushRefused(`{"op":"add","subject_id":"` + p1 + `",` + at + `,"values":` + vals + "}\n")
			if res.RejectedCount != 1 || res.Rejected[0].Code != "missing_values" || res.Rejected[0].Field != "values" {
				t.Errorf("add of %s: %+v, want missing_values", vals, res)
			}
		}
		p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		res, err := p.Push(f.pusher, f.hj, records.Op{Op: "add", SubjectID: p1, ProducedAt: monday, Values: map[string]string{"姓名": ""}})
		if e := errs.As(err); e == nil || e.Code != "missing_values" || e.Kind != errs.Invalid {
			t.Errorf("add of an empty value pushed alone: %+v, %v; want missing_values", res, err)
		}
		if n := f.count("record_versions"); n != 0 {
			t.Errorf("%d versions written, want none", n)
		}

		res = f.push(f.pusher, f.hj, `{"op":"add","subject_id":"`+p1+`",`+at+`,"values":{"姓名":"","出生日期":"1960-01-02"}}`+"\n",
			records.Options{})
		if res.Applied != 1 {
			t.Fatalf("add of a value and an empty one: %+v, want applied", res)
		}
		r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, f.hj), p1)
		if err != nil || len(r.Values) != 1 || r.Values["出生日期"] != "1960-01-02" {
			t.Errorf("record: %+v, %v; want 出生日期 alone", r, err)
		}
	})
}
