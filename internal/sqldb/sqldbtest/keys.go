package sqldbtest

import (
	"context"
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// CheckKeys fails t unless each key is one of the schema's as declared,
// so that sqldb.IsUniqueViolationOf recognises its violations: on
// PostgreSQL a primary key or UNIQUE constraint named k.Constraint() on
// k.Columns; on SQLite the table's primary key, or a unique index that is
// not partial, on k.Columns in that order.
func CheckKeys(t testing.TB, db *sqldb.DB, keys ...sqldb.Key) {
	t.Helper()
	for _, k := range keys {
		var found [][]string
		switch {
		case db.Dialect == sqldb.Postgres:
			kind := "u"
			if k.Primary {
				kind = "p"
			}
			found = [][]string{Column(t, db, `SELECT a.attname FROM pg_constraint con
				JOIN pg_class t ON t.oid = con.conrelid
				CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS c(attnum, n)
				JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = c.attnum
				WHERE con.conname = $1 AND t.relname = $2 AND con.contype = $3 ORDER BY c.n`, k.Constraint(), k.Table, kind)}
		case k.Primary:
			found = [][]string{Column(t, db, `SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk`, k.Table)}
		default:
			for _, idx := range Column(t, db, `SELECT name FROM pragma_index_list($1) WHERE "unique" AND NOT partial`, k.Table) {
				found = append(found, Column(t, db, `SELECT name FROM pragma_index_info($1) ORDER BY seqno`, idx))
			}
		}
		if !slices.ContainsFunc(found, func(cols []string) bool { return slices.Equal(cols, k.Columns) }) {
			t.Errorf("%+v: no such key in the schema (%s)", k, db.Dialect)
		}
	}
}

// Column returns the one text column of query's rows, in their order.
func Column(t testing.TB, db *sqldb.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Read().QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
