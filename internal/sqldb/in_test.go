package sqldb_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestIn: In numbers an IN list's parameters on from the arguments given,
// "?" on SQLite and "$N" on PostgreSQL for each Querier of a DB ("$N" for
// one that does not tell its engine), pads it with the last id, and both
// engines bind the query it makes.
func TestIn(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		// list is the IN list of n parameters from $first on db.
		list := func(first, n int) string {
			ps := make([]string, n)
			for i := range ps {
				ps[i] = "$" + strconv.Itoa(first+i)
				if db.Dialect == sqldb.SQLite {
					ps[i] = "?"
				}
			}
			return "(" + strings.Join(ps, ",") + ")"
		}
		for _, c := range []struct {
			args     []any
			ids      []int64
			pad      int
			want     string
			wantArgs []any
		}{
			{nil, []int64{7, 8}, 0, list(1, 2), []any{int64(7), int64(8)}},
			{[]any{"x"}, []int64{7, 8}, 0, list(2, 2), []any{"x", int64(7), int64(8)}},
			{[]any{"x"}, []int64{7, 8}, 4, list(2, 4), []any{"x", int64(7), int64(8), int64(8), int64(8)}},
			{nil, []int64{7, 8, 9}, 2, list(1, 3), []any{int64(7), int64(8), int64(9)}},
			{[]any{"x"}, nil, 4, "()", []any{"x"}},
		} {
			args := slices.Clone(c.args)
			if got := sqldb.In(db.Read(), &args, c.ids, c.pad); got != c.want || !cmp.Equal(args, c.wantArgs) {
				t.Errorf("In(%v, %v, %d) = %q with %v, want %q with %v", c.args, c.ids, c.pad, got, args, c.want, c.wantArgs)
			}
		}
		var keys []any
		if got := sqldb.In(db.Read(), &keys, []string{"a"}, 2); got != list(1, 2) || !cmp.Equal(keys, []any{"a", "a"}) {
			t.Errorf("In of strings = %q with %v", got, keys)
		}
		var other []any
		if got := sqldb.In(struct{ sqldb.Querier }{db.Read()}, &other, []int64{7, 8}, 0); got != "($1,$2)" {
			t.Errorf("In on a Querier from elsewhere = %q, want ($1,$2)", got)
		}

		ctx := t.Context()
		check := func(name string, q sqldb.Querier) {
			t.Helper()
			args := []any{int64(3)}
			in := sqldb.In(q, &args, []int64{2, 3, 4}, 8)
			if in != list(2, 8) {
				t.Errorf("%s: In = %q, want %q", name, in, list(2, 8))
			}
			got := sqldbtest.QueryRows(t, q, `SELECT x FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) AS t
				WHERE x <> $1 AND x IN `+in+` ORDER BY x`, args...)
			if want := [][]string{{"2"}, {"4"}}; !cmp.Equal(got, want) {
				t.Errorf("%s: rows = %v, want %v", name, got, want)
			}
		}
		check("Read", db.Read())
		check("Write", db.Write())
		if err := db.Snapshot(ctx, func(q sqldb.Querier) error { check("Snapshot", q); return nil }); err != nil {
			t.Fatal(err)
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { check("Tx", tx); return nil }); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkIn reads through an IN list of 1,000 ids that In makes on
// SQLite's readers.
func BenchmarkIn(b *testing.B) {
	db := sqldbtest.SQLite(b)
	ids := make([]int64, 1000)
	for i := range ids {
		ids[i] = int64(i)
	}
	var args []any
	q := `SELECT count(*) FROM (SELECT 500 AS x) AS t WHERE x IN ` + sqldb.In(db.Read(), &args, ids, 0)
	ctx := context.Background()
	for b.Loop() {
		var n int
		if err := db.Read().QueryRowContext(ctx, q, args...).Scan(&n); err != nil || n != 1 {
			b.Fatal(n, err)
		}
	}
}
