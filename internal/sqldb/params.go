package sqldb

import (
	"strconv"
	"strings"
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

// InList returns "($first,…)" for n parameters: on SQLite "(?,…)", and the
// query must then use "?" throughout.
func (d Dialect) InList(first, n int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		d.param(&b, first+i)
	}
	b.WriteByte(')')
	return b.String()
}

func (d Dialect) param(b *strings.Builder, n int) {
	if d == SQLite {
		b.WriteByte('?')
		return
	}
	b.WriteByte('$')
	b.WriteString(strconv.Itoa(n))
}
