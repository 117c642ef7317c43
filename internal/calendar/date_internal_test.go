package calendar

import (
	"testing"
	"time"
)

// TestFromNum checks fromNum against package time for every day of the
// years 1 to 9999 and a few before.
func TestFromNum(t *testing.T) {
	lo, hi := Date{-2, time.January, 1}.num(), Date{9999, time.December, 31}.num()
	for n := lo; n <= hi; n++ {
		y, m, d := time.Unix(int64(n)*86400, 0).UTC().Date()
		if got := fromNum(n); got != (Date{y, m, d}) {
			t.Fatalf("fromNum(%d) = %v, want %04d-%02d-%02d", n, got, y, m, d)
		}
	}
}

// TestStatutoryDaysTable: the table lawDayOf reads gives each day of the
// years it holds as computing the law in force that day does, make-up
// days included.
func TestStatutoryDaysTable(t *testing.T) {
	for d := lawFrom - 400; d < lawTo+400; d++ {
		got, gotOK := lawDayOf(d)
		want, wantOK := computeLawDay(d)
		if got != want || gotOK != wantOK {
			t.Fatalf("%s: table %+v %v, computed %+v %v", fromNum(d), got, gotOK, want, wantOK)
		}
	}
}
