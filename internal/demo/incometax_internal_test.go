package demo

import "testing"

// TestIncomeTaxPeriods: a person's income tax records (个人所得税纳税记录)
// are of months (所属期) from the 18th birthday, the age of the entry's
// records: one who turned 18 in 2025 had records of 2024.
func TestIncomeTaxPeriods(t *testing.T) {
	e := entryOf(t, "个人所得税纳税记录")
	young := 0
	for n := 0; n < DemoPersons; n += 7 {
		if !hasRecord(e, n, asOf) {
			continue
		}
		id := PersonID(n)
		adult := birthDate(id).AddDate(18, 0, 0)
		if adult.Year() < 2024 {
			continue
		}
		young++
		if m := ValuesAsOf(e, id, n, asOf)["所属期"]; m < month(adult) || m > month(asOf) {
			t.Errorf("person %d born %s: 所属期 %s, before 18", n, day(birthDate(id)), m)
		}
	}
	if young == 0 {
		t.Fatal("no one who turned 18 since 2024")
	}
}
