package records

// CheckValue exposes checkValue to the tests.
func CheckValue(it Item, v string) (string, error) { return checkValue(&it, v) }

// SetMaxSavepoints lowers maxSavepoints for a test.
func SetMaxSavepoints(n int) (restore func()) {
	old := maxSavepoints
	maxSavepoints = n
	return func() { maxSavepoints = old }
}
