package records

import "testing"

// TestPercent: a score is a whole percentage, but one below 1 is never
// 100: it is shown to one decimal (moved from the console's percent,
// which the command line now shares).
func TestPercent(t *testing.T) {
	for _, tt := range []struct{ score, want float64 }{
		{1, 100}, {0, 0}, {0.5, 50}, {0.9949, 99}, {0.9951, 99.5}, {0.9953, 99.5}, {0.9999, 99.9}, {0.995, 99.5},
	} {
		if got := Percent(tt.score); got != tt.want {
			t.Errorf("Percent(%v) = %v, want %v", tt.score, got, tt.want)
		}
	}
}
