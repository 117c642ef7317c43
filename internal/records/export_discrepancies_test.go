package records

// DiscrepanciesQuery is Discrepancies' query of f's page, f.Limit as
// given.
var DiscrepanciesQuery = discrepanciesQuery
