package sqldbtest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Exec runs query on db's writer, failing t if it cannot: SQL standing
// for what the packages do not write (an older release's rows, a log
// tampered with) or for a fault.
func Exec(t testing.TB, db *sqldb.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.Write().ExecContext(context.Background(), query, args...); err != nil {
		t.Fatal(err)
	}
}

// TableRows returns every row of table as text, ordered by its first
// column, in the same form on both engines (bytes as text, times in UTC;
// each value quoted, NULL bare, so that no two rows read alike),
// for tests that compare a table before and after something, or between
// two databases.
func TableRows(t testing.TB, q sqldb.Querier, table string) []string {
	t.Helper()
	var out []string
	for _, vals := range scanRows(t, q, `SELECT * FROM `+table+` ORDER BY 1`) {
		fields := make([]string, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				fields[i] = "NULL"
			case time.Time:
				fields[i] = strconv.Quote(x.UTC().Format(time.RFC3339Nano))
			default:
				fields[i] = strconv.Quote(fmt.Sprint(x))
			}
		}
		out = append(out, strings.Join(fields, " "))
	}
	return out
}

// QueryRows returns the rows of query as text, a row a slice: bytes as
// text, times in RFC 3339 in the zone the driver gives them (not made
// UTC, so that a test comparing one database before and after a migration
// sees a time rewritten in another zone), NULL as "NULL".
func QueryRows(t testing.TB, q sqldb.Querier, query string, args ...any) [][]string {
	t.Helper()
	var out [][]string
	for _, vals := range scanRows(t, q, query, args...) {
		row := make([]string, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				row[i] = "NULL"
			case time.Time:
				row[i] = x.Format(time.RFC3339Nano)
			default:
				row[i] = fmt.Sprint(x)
			}
		}
		out = append(out, row)
	}
	return out
}

// scanRows returns the values of query's rows as the driver gives them,
// bytes as a string.
func scanRows(t testing.TB, q sqldb.Querier, query string, args ...any) [][]any {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
