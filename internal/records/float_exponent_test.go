package records_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestFloatExponentBounded: a floating-point value (types B, F) with a
// large exponent is refused before it is written out in plain decimals.
// It was expanded first and checked after: 1e-300000000 allocated some
// 900 MB for a value of 12 bytes, 1e9999999999 asked for 10 GB. The
// first value, 1e-30000000, allocated some 90 MB before; the test stops
// there, so that its failing run stays small.
func TestFloatExponentBounded(t *testing.T) {
	const limit = 1 << 20
	for i, v := range []string{"1e-30000000", "1e-300000000", "-1.5E-400000000", "1e9999999999", "1e+99999",
		"1e-99999999999999999999", "-1e-9223372036854775808", "0.001e-400000000", "123.456e99999999"} {
		for _, it := range []records.Item{{Name: "余额", Type: "B"}, {Name: "余额", Type: "F", Length: 20}} {
			var err error
			if n := allocated(func() { _, err = records.CheckValue(it, v) }); n > limit {
				if i == 0 {
					t.Fatalf("%s %s: allocated %d bytes, want under %d", it.Type, v, n, limit)
				}
				t.Errorf("%s %s: allocated %d bytes, want under %d", it.Type, v, n, limit)
			}
			if e := errs.As(err); e == nil || e.Code != "invalid_value" || e.Field != "余额" {
				t.Errorf("%s %s: %v, want invalid_value", it.Type, v, err)
			}
		}
	}
}

// TestFloatLength: a floating-point item's length counts the digits of
// its canonical form, as a number's of type N does: 1e300 was stored in
// an item of length 10 as 301 digits (no digit was counted).
func TestFloatLength(t *testing.T) {
	for _, c := range []struct {
		v    string
		want string // the stored value, or the error code
	}{
		{"1e9", "1000000000"}, {"1e10", "value_too_long"}, {"1e300", "value_too_long"},
		{"1.5e-7", "0.00000015"}, {"1.5e-9", "value_too_long"}, {"12345.678e-2", "123.45678"},
		{"12345678901", "value_too_long"}, {"-1234567890", "-1234567890"}, {"1e-400", "invalid_value"},
		{"0e-99999999999999999999", "0"}, {"-0.0e9223372036854775807", "0"},
	} {
		for _, typ := range []string{"B", "F", "N"} {
			if typ == "N" && strings.ContainsAny(c.v, "eE") {
				continue // N takes no exponent
			}
			got, err := records.CheckValue(records.Item{Name: "读数", Type: typ, Length: 10}, c.v)
			if e := errs.As(err); e != nil {
				got = e.Code
			}
			if got != c.want {
				t.Errorf("%s %s in length 10: %q (%v), want %s", typ, c.v, got, err, c.want)
			}
		}
	}
}

// TestFloatExponentPushBounded: three lines of a push, 1e-30000000 to a
// B item, are refused invalid_value each without expanding the exponent
// (some 270 MB before), then three of 1e-300000000 (some 2.6 GB before:
// a 372-byte body).
func TestFloatExponentPushBounded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		accounts := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101002/000005", Name: "账户余额信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "余额", Type: "B"}}})
		for _, v := range []string{"1e-30000000", "1e-300000000"} {
			var body strings.Builder
			for i := 1; i <= 3; i++ {
				body.WriteString(line("add", recordstest.CitizenID(i), monday, map[string]string{"余额": v}, ""))
			}
			var res records.BatchResult
			if n := allocated(func() { res = f.push(f.pusher, accounts, body.String(), records.Options{}) }); n > 16<<20 {
				t.Fatalf("%s: allocated %d bytes, want under 16 MiB", v, n)
			}
			if res.Applied != 0 || res.RejectedLines != 3 || len(res.Rejected) != 3 || res.Rejected[0].Code != "invalid_value" {
				t.Errorf("%s: %+v, want 3 lines refused invalid_value", v, res)
			}
		}
	})
}
