package records

// CheckValue exposes checkValue to the tests.
func CheckValue(it Item, v string) (string, error) { return checkValue(&it, v) }
