package records

import "math"

// Percent is a quality score (0..1, as Quality gives it) as a percentage,
// as the console and the command line show it: a whole one, but a score
// that a whole percent would show as 0 or 100 without being 0 or 1 is
// shown to one decimal, as roundScore keeps it (0.9951 is 99.5, 0.9999
// is 99.9, 0.0042 is 0.4, 1/30,000 is 0.1), so that 100% means a perfect
// score and 0% none at all, as 1 and 0 do in the API.
func Percent(f float64) float64 {
	p := math.Round(f * 100)
	if p >= 100 && f < 1 || p <= 0 && f > 0 {
		return roundScore(f, 1000) / 10
	}
	return p
}

// roundScore is score f (0..1) in units of 1/scale, rounded, the rule
// the API (ratio, 4 decimals) and the console (Percent, one decimal of a
// percent near 0 and 100) share: a score strictly between 0 and 1 stays
// so, at least 1 unit and at most scale−1, rather than rounding to 0 (one
// of 30,000) or to scale (one missed of 20,000).
func roundScore(f, scale float64) float64 {
	if f <= 0 || f >= 1 {
		return math.Round(f * scale)
	}
	return min(max(math.Round(f*scale), 1), scale-1)
}
