package records

import "testing"

// TestConsistencyRounded: consistency is the share of live records not
// disputed, rounded once like the other scores, not 1 minus a rounded
// share (7 disputed of 10 gave 0.30000000000000004).
func TestConsistencyRounded(t *testing.T) {
	for _, tt := range []struct {
		live, disputed int64
		want           float64
	}{
		{10, 7, 0.3},
		{10, 9, 0.1},
		{3, 1, 0.6667},
		{3, 2, 0.3333},
		{7, 0, 1},
		{7, 7, 0},
		{0, 0, 1},
	} {
		qa := Quality{LiveRecords: tt.live, DisputedRecords: tt.disputed}
		qa.score()
		if qa.Consistency != tt.want {
			t.Errorf("%d disputed of %d: consistency %v, want %v", tt.disputed, tt.live, qa.Consistency, tt.want)
		}
	}
}

// TestScoreBelowOneNotRoundedUp: a score below 1 is never rounded up to
// 1, the score of nothing missed: one line refused of 20,000 (0.99995)
// was shown as 1; it is 0.9999. Other scores round to 4 decimals as
// before.
func TestScoreBelowOneNotRoundedUp(t *testing.T) {
	for _, tt := range []struct {
		num, den int64
		want     float64
	}{
		{19999, 20000, 0.9999},
		{999999, 1000000, 0.9999},
		{9999, 10000, 0.9999},
		{19997, 20000, 0.9999},
		{19996, 20000, 0.9998},
		{2, 3, 0.6667},
		{1, 20000, 0.0001},
		{20000, 20000, 1},
		{0, 20000, 0},
		{0, 0, 1},
	} {
		if got := ratio(tt.num, tt.den); got != tt.want {
			t.Errorf("ratio(%d, %d) = %v, want %v", tt.num, tt.den, got, tt.want)
		}
	}
}
