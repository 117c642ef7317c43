package records

import "time"

// SetRoundTimeout shortens the bound of a round of pushes, for the Pushes
// made until restore is called.
func SetRoundTimeout(d time.Duration) (restore func()) {
	old := roundTimeout
	roundTimeout = d
	return func() { roundTimeout = old }
}
