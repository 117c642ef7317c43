package records_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDateTimeYearRange: a date-time item (type T) is stored in Beijing
// time as YYYY-MM-DDTHH:MM:SS+08:00, which reads back only for the years 0
// to 9999; a value whose Beijing time falls outside them is refused
// (invalid_value), not stored as 10000-01-01T… (FuzzNormalize found
// 9999-12-31T23:00:00-10:00 accepted, and its stored form refused when
// sent again). The first and last seconds of those years in Beijing time
// are taken.
func TestDateTimeYearRange(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		visits := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101002/000001", Name: "来访登记信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "来访时间", Type: "T"}}})
		for i, v := range []string{"9999-12-31T23:00:00-10:00", "0000-01-01T05:00:00+14:00"} {
			res := f.push(f.pusher, visits, line("add", recordstest.CitizenID(i), monday, map[string]string{"来访时间": v}, ""), records.Options{})
			if res.RejectedCount != 1 || res.Rejected[0].Code != "invalid_value" || res.Rejected[0].Field != "来访时间" {
				t.Errorf("%s: %+v, want refused (invalid_value on 来访时间)", v, res)
			}
		}
		e := mustEntry(t, db, visits)
		for i, c := range []struct{ v, want string }{
			{"9999-12-31T15:59:59Z", "9999-12-31T23:59:59+08:00"},
			{"0000-01-01", "0000-01-01T00:00:00+08:00"},
		} {
			p := recordstest.CitizenID(10 + i)
			if res := f.push(f.pusher, visits, line("add", p, monday, map[string]string{"来访时间": c.v}, ""), records.Options{}); res.Applied != 1 {
				t.Errorf("%s: %+v, want applied", c.v, res)
				continue
			}
			if r, err := records.Get(f.ctx, db.Read(), e, p); err != nil || r.Values["来访时间"] != c.want {
				t.Errorf("%s: stored %q, %v; want %s", c.v, r.Values["来访时间"], err, c.want)
			}
		}
	})
}
