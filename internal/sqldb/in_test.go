package sqldb_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestIn: In numbers an IN list's parameters on from the arguments given,
// pads it with the last id, and both engines bind the query it makes.
func TestIn(t *testing.T) {
	for _, c := range []struct {
		args     []any
		ids      []int64
		pad      int
		want     string
		wantArgs []any
	}{
		{nil, []int64{7, 8}, 0, "($1,$2)", []any{int64(7), int64(8)}},
		{[]any{"x"}, []int64{7, 8}, 0, "($2,$3)", []any{"x", int64(7), int64(8)}},
		{[]any{"x"}, []int64{7, 8}, 4, "($2,$3,$4,$5)", []any{"x", int64(7), int64(8), int64(8), int64(8)}},
		{nil, []int64{7, 8, 9}, 2, "($1,$2,$3)", []any{int64(7), int64(8), int64(9)}},
		{[]any{"x"}, nil, 4, "()", []any{"x"}},
	} {
		args := slices.Clone(c.args)
		if got := sqldb.In(&args, c.ids, c.pad); got != c.want || !cmp.Equal(args, c.wantArgs) {
			t.Errorf("In(%v, %v, %d) = %q with %v, want %q with %v", c.args, c.ids, c.pad, got, args, c.want, c.wantArgs)
		}
	}
	var keys []any
	if got := sqldb.In(&keys, []string{"a"}, 2); got != "($1,$2)" || !cmp.Equal(keys, []any{"a", "a"}) {
		t.Errorf("In of strings = %q with %v", got, keys)
	}

	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		args := []any{int64(3)}
		in := sqldb.In(&args, []int64{2, 3, 4}, 8)
		got := sqldbtest.QueryRows(t, db.Read(), `SELECT x FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) AS t
			WHERE x <> $1 AND x IN `+in+` ORDER BY x`, args...)
		if want := [][]string{{"2"}, {"4"}}; !cmp.Equal(got, want) {
			t.Errorf("rows = %v, want %v", got, want)
		}
	})
}
