package records_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDateTimeFractionKept: a date-time item (type T) keeps the fraction
// of a second it is written with (trailing zeros trimmed), where it was
// stored to the second: a later change to another fraction was answered
// unchanged and wrote no version. The same instant written with more
// zeros, or in another offset, is the same value: unchanged.
func TestDateTimeFractionKept(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		visits := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101002/000003", Name: "闸机通行记录", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "通行时间", Type: "T"}}})
		e := mustEntry(t, db, visits)
		p1 := recordstest.CitizenID(1)
		push := func(kind string, m int, v string) records.BatchResult {
			t.Helper()
			return f.push(f.pusher, visits, line(kind, p1, monday.Add(time.Duration(m)*time.Minute), map[string]string{"通行时间": v}, ""),
				records.Options{})
		}
		stored := func(want string) {
			t.Helper()
			if r, err := records.Get(f.ctx, db.Read(), e, p1); err != nil || r.Values["通行时间"] != want {
				t.Errorf("stored %q, %v; want %s", r.Values["通行时间"], err, want)
			}
		}
		if res := push("add", 0, "2026-12-03T09:00:00.750+08:00"); res.Applied != 1 {
			t.Fatalf("add: %+v", res)
		}
		stored("2026-12-03T09:00:00.75+08:00")
		if res := push("change", 1, "2026-12-03T09:00:00.100+08:00"); res.Applied != 1 || res.Unchanged != 0 {
			t.Errorf("change to another fraction: %+v, want applied", res)
		}
		stored("2026-12-03T09:00:00.1+08:00")
		if res := push("change", 2, "2026-12-03T01:00:00.1000Z"); res.Applied != 0 || res.Unchanged != 1 {
			t.Errorf("the same instant in UTC with more zeros: %+v, want unchanged", res)
		}
		if res := push("change", 3, "2026-12-03 09:00:00"); res.Applied != 1 {
			t.Errorf("change to the whole second: %+v, want applied", res)
		}
		stored("2026-12-03T09:00:00+08:00")
		if res := push("change", 4, "2026-12-03T09:00:00.000000001+08:00"); res.Applied != 1 {
			t.Errorf("change by a nanosecond: %+v, want applied", res)
		}
		stored("2026-12-03T09:00:00.000000001+08:00")
	})
}

// TestFloatDigitsKept: a floating-point item (types B and F) keeps the
// digits it is written with, as a number of type N does, where it was
// rounded through float64 (12345678901234567.89 stored as
// 12345678901234568, without a word); an exponent moves the point and
// rounds nothing. A value beyond float64's range, or so small that it
// reads as 0, is refused (invalid_value), not stored as 0.
func TestFloatDigitsKept(t *testing.T) {
	for _, c := range []struct{ v, want string }{
		{"12345678901234567.89", "12345678901234567.89"},
		{"0.1000000000000000055511151231257827", "0.1000000000000000055511151231257827"},
		{"-1.23456789012345678901e5", "-123456.789012345678901"},
		{"1.5e-7", "0.00000015"}, {"+0.25E1", "2.5"}, {"-0.0e5", "0"}, {"000120.500e-2", "1.205"}, {"9.5e0", "9.5"}, {"1.", "1"}, {"1.e2", "100"},
	} {
		for _, typ := range []string{"B", "F"} {
			got, err := records.CheckValue(records.Item{Name: "读数", Type: typ}, c.v)
			if err != nil || got != c.want {
				t.Errorf("%s %s: %q, %v; want %s", typ, c.v, got, err, c.want)
			}
		}
	}
	for _, v := range []string{"1e400", "-2e308", "1e-400", "1e", "1e+", ".e1", ".", "e5", "-"} {
		if got, err := records.CheckValue(records.Item{Name: "读数", Type: "F"}, v); err == nil {
			t.Errorf("%s: %q, want refused", v, got)
		}
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		meters := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101002/000004", Name: "账户余额信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "余额", Type: "B"}}})
		p1 := recordstest.CitizenID(1)
		res := f.push(f.pusher, meters, `{"op":"add","subject_id":"`+p1+`","produced_at":"2026-03-02T10:00:00+08:00",`+
			`"values":{"余额":12345678901234567.89}}`+"\n", records.Options{})
		if res.Applied != 1 {
			t.Fatalf("add: %+v", res)
		}
		if r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, meters), p1); err != nil || r.Values["余额"] != "12345678901234567.89" {
			t.Errorf("stored %q, %v; want 12345678901234567.89", r.Values["余额"], err)
		}
		// 12345678901234567.88 is the same float64: a change all the same.
		res = f.push(f.pusher, meters, line("change", p1, monday.Add(time.Minute), map[string]string{"余额": "12345678901234567.88"}, ""),
			records.Options{})
		if res.Applied != 1 {
			t.Errorf("change in the last digit: %+v, want applied", res)
		}
	})
}
