package audit

import (
	"context"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// VerifyDB verifies the whole log of a database in use, on one snapshot
// (VerifyFromDB from no anchor).
func VerifyDB(ctx context.Context, db *sqldb.DB, anchors ...Anchor) (Report, error) {
	return VerifyFromDB(ctx, db, Anchor{}, anchors...)
}

// AppendAll and InsertRows expose appendAll's chunking to the tests.
var AppendAll = appendAll

const InsertRows = insertRows

// PageQuery is List's query of a filter's page, with the actions of its
// prefixes it found on SQLite.
var PageQuery = pageQuery

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

// VerifyRowsSQL and StraySubjectsSQL are VerifyFrom's queries of the rows
// after an anchor and of audit_subjects' rows of no row of the log.
var VerifyRowsSQL = verifyRowsSQL

const StraySubjectsSQL = straySubjectsSQL

// SetBeforePage runs f between List's query of a page and its read,
// until restore is called.
func SetBeforePage(f func()) (restore func()) {
	old := beforePage
	beforePage = f
	return func() { beforePage = old }
}
