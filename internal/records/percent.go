package records

import "math"

// Percent is a quality score (0..1, as Quality gives it) as a percentage,
// as the console and the command line show it: a whole one, but a score
// below 1 that would round to 100 is floored to one decimal (0.9951 is
// 99.5, 0.9999 is 99.9), so that 100% means a perfect score, as 1 does in
// the API.
func Percent(f float64) float64 {
	p := math.Round(f * 100)
	if p >= 100 && f < 1 {
		return math.Floor(f*1000+1e-9) / 10
	}
	return p
}
