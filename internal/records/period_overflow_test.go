package records_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/records"
)

// TestOtherPeriodHuge: a period of more units than an int holds
// (每99999999999999999999年), or than its multiple in months or its length
// in time holds (每9223372036854775807年, 每9223372036854775807周), is a
// period of 10000 units (maxPeriodCount), never stale within 20 years;
// until 2026-12-05 the first stated no period and the others
// overflowed into a negative one, stale at once.
func TestOtherPeriodHuge(t *testing.T) {
	cal := calendar.Default()
	last := time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location())
	for _, text := range []string{"每99999999999999999999年", "每9223372036854775807年", "每9223372036854775807个月",
		"每9223372036854775807周", "每9223372036854775807天", "每99999999999999999999个工作日", "每99999999999999999999季度"} {
		p, ok := records.OtherPeriod(text)
		if !ok {
			t.Errorf("OtherPeriod(%q) not read, want a period", text)
			continue
		}
		if p.Stale(cal, last, last.AddDate(20, 0, 0)) {
			t.Errorf("OtherPeriod(%q) = %+v: stale within 20 years", text, p)
		}
	}
}
