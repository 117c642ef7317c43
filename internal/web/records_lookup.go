package web

// Messages are the record lookup form's refusals in the order of its
// fields (lookupParams), for the summary above it (form-errors).
func (f lookupForm) Messages() []refusal {
	var list []refusal
	for _, field := range lookupParams {
		if msg := f.Errors[field]; msg != "" {
			list = append(list, refusal{Field: field, Text: msg})
		}
	}
	return list
}
