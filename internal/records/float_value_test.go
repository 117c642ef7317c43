package records_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestFloatValues: a floating-point item (types B and F) takes decimal
// notation, with an exponent or not, and refuses NaN, infinities and
// hexadecimal floats, which strconv.ParseFloat reads (they were stored as
// NaN, +Inf and 0.25).
func TestFloatValues(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		meters := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101002/000002", Name: "水表读数信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "读数", Type: "F"}}})
		for i, v := range []string{"NaN", "nan", "Inf", "-Infinity", "+inf", "0x1p-2", "1e400"} {
			res := f.push(f.pusher, meters, line("add", recordstest.CitizenID(i), monday, map[string]string{"读数": v}, ""), records.Options{})
			if res.RejectedCount != 1 || res.Rejected[0].Code != "invalid_value" || res.Rejected[0].Field != "读数" {
				t.Errorf("%s: %+v, want refused (invalid_value on 读数)", v, res)
			}
		}
		e := mustEntry(t, db, meters)
		for i, c := range []struct{ v, want string }{{"12.50", "12.5"}, {"-1.5E+3", "-1500"}, {"+0.25", "0.25"}} {
			p := recordstest.CitizenID(10 + i)
			if res := f.push(f.pusher, meters, line("add", p, monday, map[string]string{"读数": c.v}, ""), records.Options{}); res.Applied != 1 {
				t.Errorf("%s: %+v, want applied", c.v, res)
				continue
			}
			if r, err := records.Get(f.ctx, db.Read(), e, p); err != nil || r.Values["读数"] != c.want {
				t.Errorf("%s: stored %q, %v; want %s", c.v, r.Values["读数"], err, c.want)
			}
		}
	})
}
