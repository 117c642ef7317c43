package demo

import (
	"testing"
)

// TestRecognitionDates: a recognition (认定日期) is at the age its entry
// allows, spread over the years: support for the destitute (特困人员) and
// outpatient chronic and special disease benefits (门诊慢特病) at any age,
// a teacher's qualification at 22 or later. All three were at 22 or later,
// and the date of everyone younger was the demo's last day.
func TestRecognitionDates(t *testing.T) {
	for _, c := range []struct {
		entry, item string
		minAge      int
	}{
		{"特困人员供养信息", "认定日期", 0},
		{"门诊慢特病待遇认定信息", "待遇认定日期", 0},
		{"教师资格认定信息", "资格认定日期", 22},
	} {
		e := entryOf(t, c.entry)
		ns, ids := sample(e)
		last, young := 0, 0
		for i, n := range ns {
			v := ValuesAsOf(e, ids[i], n, asOf)[c.item]
			if v == day(asOf) {
				last++
			}
			s := newSubj(e.Name, e.SubjectKind, ids[i], n, asOf)
			if s.age(asOf) < 22 {
				young++
			}
			if d := birthDate(ids[i]).AddDate(c.minAge, 0, 0); v < day(d) {
				t.Errorf("%s %s: %s %s before the age of %d", c.entry, ids[i], c.item, v, c.minAge)
			}
		}
		if len(ns) == 0 || last*100 > len(ns) {
			t.Errorf("%s: %d of %d recognised on the last day %s", c.entry, last, len(ns), day(asOf))
		}
		if c.minAge == 0 && young == 0 {
			t.Errorf("%s: no one under 22 of %d", c.entry, len(ns))
		}
	}
}
