package sqldb

import (
	"database/sql"
	"strconv"
	"strings"

	"modernc.org/sqlite"
)

// Values returns prefix followed by rows tuples of cols parameters each: a
// multi-row INSERT's VALUES list. On SQLite the parameters are "?": modernc
// binds "$N" by looking each name up in a list, which is quadratic in the
// number of parameters; on PostgreSQL they are $1, $2, ….
func (d Dialect) Values(prefix string, cols, rows int) string {
	var b strings.Builder
	b.Grow(len(prefix) + rows*cols*7)
	b.WriteString(prefix)
	n := 1
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := 0; c < cols; c++ {
			if c > 0 {
				b.WriteByte(',')
			}
			d.param(&b, n)
			n++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// In appends ids to *args and returns their parameters for an IN list of
// a query that q runs: "(?,…)" on SQLite, whose driver binds a "$N" by
// looking its name up (1.9 ms against 0.3 ms for a list of 1,000), and
// "($k,…)" on PostgreSQL, numbered on from the arguments already in *args.
// SQLite numbers each "?" one above the highest parameter before it, so the
// query's parameters before the list must be $1 to $len(*args) (or lists In
// made for them), and the list must appear in it once. A Querier from
// another package, which does not tell its engine, gets "$N", which both
// engines bind. With pad above len(ids), a list of ids is padded to pad
// parameters with its last id, so that lists of up to pad ids have one
// statement text, prepared once; no ids make "()".
func In[T any](q Querier, args *[]any, ids []T, pad int) string {
	d := Postgres
	if onSQLite(q) {
		d = SQLite
	}
	n := len(ids)
	if n > 0 {
		n = max(pad, n)
	}
	var b strings.Builder
	b.WriteByte('(')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		*args = append(*args, ids[min(i, len(ids)-1)])
		d.param(&b, len(*args))
	}
	b.WriteByte(')')
	return b.String()
}

// onSQLite reports whether q is known to run on SQLite: one of the
// Queriers of a DB on SQLite (Read, Write, Snapshot's, a Tx).
func onSQLite(q Querier) bool {
	switch q := q.(type) {
	case *Tx:
		return q.Dialect == SQLite
	case *snapshot:
		return q.dialect == SQLite
	case *stmtCache:
		return true
	case *sql.DB:
		_, ok := q.Driver().(*sqlite.Driver)
		return ok
	}
	return false
}

func (d Dialect) param(b *strings.Builder, n int) {
	if d == SQLite {
		b.WriteByte('?')
		return
	}
	b.WriteByte('$')
	b.WriteString(strconv.Itoa(n))
}
