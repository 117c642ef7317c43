package records

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestEncodeCopy: rows encoded by encodeCopy are what PostgreSQL reads
// back, to the microsecond and the byte, and a value of the wrong type is
// refused before anything is sent.
func TestEncodeCopy(t *testing.T) {
	db := sqldbtest.Postgres(t)
	ctx := context.Background()
	old := time.Date(1987, 6, 5, 4, 3, 2, 123456789, time.FixedZone("CST", 8*3600))
	now := time.Date(2026, 12, 2, 5, 0, 0, 999, time.UTC)
	vals := []any{
		int64(1), int64(-7), "440605199001011234", 3, "change", `{"姓名":"张三","地址":"佛山\t\"南海\""}`, old, now,
		int64(1 << 40), int64(12), "key-1", true, int64(0),
		int64(2), int64(1<<62 + 5), "", -2147483648, "add", "{}", now, old,
		int64(0), int64(0), strings.Repeat("键", 100), false, int64(-1),
	}
	err := db.TxRaw(ctx, func(tx *sqldb.Tx, raw func(func(any) error) error) error {
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE copied (entry_id BIGINT, seq BIGINT, subject_id TEXT,
			version INTEGER, op TEXT, vals TEXT, produced_at TIMESTAMPTZ, received_at TIMESTAMPTZ, batch_id BIGINT,
			department_id BIGINT, op_key TEXT, late BOOLEAN, prev_seq BIGINT)`); err != nil {
			return err
		}
		in := &ingest{ctx: ctx, tx: tx, raw: raw}
		if err := in.copyRows("copied", versionCols, vals); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT * FROM copied ORDER BY entry_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var got []any
		for rows.Next() {
			var r struct {
				entry, seq, batch, dept, prev int64
				subject, op, js, key          string
				version                       int
				produced, received            time.Time
				late                          bool
			}
			if err := rows.Scan(&r.entry, &r.seq, &r.subject, &r.version, &r.op, &r.js, &r.produced, &r.received,
				&r.batch, &r.dept, &r.key, &r.late, &r.prev); err != nil {
				return err
			}
			got = append(got, r.entry, r.seq, r.subject, r.version, r.op, r.js, r.produced, r.received, r.batch,
				r.dept, r.key, r.late, r.prev)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(got) != len(vals) {
			t.Fatalf("read back %d values, want %d", len(got), len(vals))
		}
		for i, want := range vals {
			if w, ok := want.(time.Time); ok {
				want = w.Truncate(time.Microsecond)
				if g := got[i].(time.Time); !g.Equal(w.Truncate(time.Microsecond)) {
					t.Errorf("value %d: got %v, want %v", i, g, want)
				}
				continue
			}
			if got[i] != want {
				t.Errorf("value %d: got %#v, want %#v", i, got[i], want)
			}
		}
		return sql.ErrNoRows // roll back
	})
	if err != sql.ErrNoRows {
		t.Fatal(err)
	}

	cols := []copyCol{{"entry_id", colInt8}, {"subject_id", colText}, {"status", colText}, {"version", colInt4}, {"seq", colInt8}}
	for _, bad := range [][]any{{"1", "s", "t", 1, "t"}, {int64(1), "s", "t", 1 << 40, int64(1)}, {int64(1), "s", 3, 1, int64(1)}, {int64(1)}} {
		if _, err := encodeCopy(nil, cols, bad); err == nil {
			t.Errorf("encodeCopy(%v): no error", bad)
		}
	}
}
