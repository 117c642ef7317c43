package audit

import "time"

// AppendAll and InsertRows expose appendAll's chunking to the tests.
var AppendAll = appendAll

const InsertRows = insertRows

// ListQuery and ReadByTime are List's query of a filter and its choice
// of plan.
var (
	ListQuery  = listQuery
	ReadByTime = readByTime
)

// SetRoundTimeout shortens the bound of a Group's rounds, for the Groups
// made until restore is called.
func SetRoundTimeout(d time.Duration) (restore func()) {
	old := roundTimeout
	roundTimeout = d
	return func() { roundTimeout = old }
}

// SetServedFullRows lowers the rows a verify reads from which VerifyServed
// takes the one slot of a whole verify, until restore is called.
func SetServedFullRows(n int64) (restore func()) {
	old := servedFullRows
	servedFullRows = n
	return func() { servedFullRows = old }
}
