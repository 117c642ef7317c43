package records

// DiscrepancyStatusFilter reads s, a status a discrepancy list is asked
// for, as the DiscrepancyFilter.Status it names: open, awaiting_correction
// and resolved (a Discrepancy's statuses) and disputed (the open ones a
// side disputes, Contested) themselves, all (every status) as "". ok is false for any other value, "" included: the API lists every
// status without one, the console the open ones, each saying in its own
// words which values it takes.
func DiscrepancyStatusFilter(s string) (status string, ok bool) {
	switch s {
	case "open", "awaiting_correction", "resolved", "disputed":
		return s, true
	case "all":
		return "", true
	}
	return "", false
}
