package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestFloatValues: a floating-point item (types B and F) takes decimal
// notation, with an exponent or not, and refuses NaN, infinities and
// hexadecimal floats, which strconv.ParseFloat reads (they were stored as
// NaN, +Inf and 0.25). It is stored and served in plain decimals, where a
// million was 1e+06.
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
		for i, c := range []struct{ v, want string }{{"12.50", "12.5"}, {"-1.5E+3", "-1500"}, {"+0.25", "0.25"},
			{"1000000", "1000000"}, {"1e6", "1000000"}, {"1.5e-7", "0.00000015"}, {"123456789012345680000", "123456789012345680000"}} {
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

// TestIntegerRange: an integer (type I) beyond the 64-bit range is refused
// as such, where it was refused as no integer (应为整数), which it is.
func TestIntegerRange(t *testing.T) {
	for _, v := range []string{"9223372036854775808", "-99999999999999999999"} {
		_, err := records.CheckValue(records.Item{Name: "人数", Type: "I"}, v)
		if e := errs.As(err); e == nil || e.Code != "invalid_value" || e.Field != "人数" || !strings.Contains(e.Message, "超出整数范围") {
			t.Errorf("%s: %v, want invalid_value 人数 超出整数范围", v, err)
		}
	}
	if got, err := records.CheckValue(records.Item{Name: "人数", Type: "I"}, "-9223372036854775808"); err != nil || got != "-9223372036854775808" {
		t.Errorf("the least int64: %q, %v; want it accepted", got, err)
	}
}
