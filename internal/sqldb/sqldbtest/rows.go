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

// TableRows returns every row of table as text, ordered by its first
// column, in the same form on both engines (bytes as text, times in UTC;
// each value quoted, NULL bare, so that no two rows read alike),
// for tests that compare a table before and after something, or between
// two databases.
func TableRows(t testing.TB, q sqldb.Querier, table string) []string {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), `SELECT * FROM `+table+` ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fields := make([]string, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				fields[i] = "NULL"
			case []byte:
				fields[i] = strconv.Quote(string(x))
			case time.Time:
				fields[i] = strconv.Quote(x.UTC().Format(time.RFC3339Nano))
			default:
				fields[i] = strconv.Quote(fmt.Sprint(x))
			}
		}
		out = append(out, strings.Join(fields, " "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
