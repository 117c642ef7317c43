package demo

import (
	"testing"
	"time"
)

// TestDatesAfterFounding: what is about a company is not before it was
// founded: a tax arrears notice (欠税公告, published on the 15th of a
// quarter's first month) and a monthly employment filing (劳动用工备案).
// The notice took the quarter of a day after the founding, whose 15th
// could be before it, and the filing months began in January 2024
// whatever the founding.
func TestDatesAfterFounding(t *testing.T) {
	for _, asOf := range []time.Time{asOf, time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)} {
		notice, filing := entryOf(t, "欠税公告信息"), entryOf(t, "劳动用工备案信息")
		checked := 0
		for n := 0; n < DemoCompanies; n++ {
			f := founded(n)
			if f.Year() < 2019 {
				continue // founded before every notice and filing
			}
			checked++
			id := EntityUSCC(notice.Name, n)
			d := ValuesAsOf(notice, id, n, asOf)["公告日期"]
			on, err := time.Parse("2006-01-02", d)
			if err != nil || on.Before(f) || on.After(asOf) || on.Day() != 15 || (on.Month()-1)%3 != 0 {
				t.Errorf("company %d founded %s: 公告日期 %s (%v), want the 15th of a quarter's first month from then until %s", n, day(f), d, err, day(asOf))
			}
			if m := ValuesAsOf(filing, id, n, asOf)["备案月份"]; m < month(f) || m > month(asOf) {
				t.Errorf("company %d founded %s: 备案月份 %s", n, day(f), m)
			}
		}
		if checked == 0 {
			t.Fatal("no company founded since 2019")
		}
	}
}
