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
