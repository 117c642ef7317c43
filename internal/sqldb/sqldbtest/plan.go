package sqldbtest

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Plan returns the steps of the plan of query with args on q, an engine
// of dialect d: SQLite's EXPLAIN QUERY PLAN details, PostgreSQL's EXPLAIN
// lines.
func Plan(t testing.TB, d sqldb.Dialect, q sqldb.Querier, query string, args ...any) []string {
	t.Helper()
	explain := "EXPLAIN QUERY PLAN "
	if d == sqldb.Postgres {
		explain = "EXPLAIN "
	}
	var steps []string
	for _, row := range QueryRows(t, q, explain+query, args...) {
		steps = append(steps, row[len(row)-1])
	}
	return steps
}
