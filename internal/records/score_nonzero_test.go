package records

import "testing"

// TestScoreAboveZeroNotShownAsZero: a score above 0 is never shown as 0,
// the score of nothing at all, as one below 1 is never shown as 1: one
// line of 30,000 accepted (0.0000333) was validity 0 in the API and 0% in
// the console; it is 0.0001 and 0.1%. The console's one decimal near 0
// and 100% rounds as the API's 4 decimals do, kept inside 0.1 to 99.9.
func TestScoreAboveZeroNotShownAsZero(t *testing.T) {
	for _, tt := range []struct {
		num, den int64
		want     float64
	}{
		{1, 30000, 0.0001},
		{1, 20001, 0.0001},
		{1, 1000000, 0.0001},
		{2, 10000, 0.0002},
		{1, 3, 0.3333},
		{0, 30000, 0},
	} {
		if got := ratio(tt.num, tt.den); got != tt.want {
			t.Errorf("ratio(%d, %d) = %v, want %v", tt.num, tt.den, got, tt.want)
		}
	}
	for _, tt := range []struct{ score, want float64 }{
		{1.0 / 30000, 0.1}, {0.0001, 0.1}, {0.0004, 0.1}, {0.0042, 0.4}, {0.0046, 0.5}, {0.0049, 0.5},
		{0.006, 1}, {0, 0}, {0.9958, 99.6}, {0.9996, 99.9}, {0.9951, 99.5}, {1, 100},
	} {
		if got := Percent(tt.score); got != tt.want {
			t.Errorf("Percent(%v) = %v, want %v", tt.score, got, tt.want)
		}
	}
}
