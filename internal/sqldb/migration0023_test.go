package sqldb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestMigration0023CountsItemValues: 0023 counts, per entry and item, the
// live records whose current values hold one (the latest version of each
// subject, unless it cancelled the record), and leaves every entry's
// completeness to be counted again (fill_version 0).
func TestMigration0023CountsItemValues(t *testing.T) {
	atMigration(t, "0022_record_entry_stats_mismatched.sql", func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		for i, v := range []struct {
			entry   int64
			seq     int64
			subject string
			op      string
			vals    string
		}{
			{1, 1, "A", "add", `{"姓名":"甲","户籍地址":"桂城街道"}`},
			{1, 2, "B", "add", `{"户籍地址":"大沥镇"}`},
			{1, 3, "A", "change", `{"姓名":"乙","户籍地址":"桂城街道"}`},
			{1, 4, "B", "cancel", `{"户籍地址":"大沥镇"}`},
			{1, 5, "C", "add", `{"姓名":"丙","出生日期":""}`},
			{2, 1, "A", "add", `{"姓名":"丁"}`},
		} {
			if _, err := db.Write().ExecContext(ctx, `INSERT INTO record_versions (entry_id, seq, subject_id, version, op, vals,
				produced_at, received_at, batch_id, department_id, op_key, late, prev_seq)
				VALUES ($1, $2, $3, 1, $4, $5, $6, $6, 1, 10, $7, FALSE, 0)`,
				v.entry, v.seq, v.subject, v.op, v.vals, at, fmt.Sprint("k", i)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Write().ExecContext(ctx, `INSERT INTO record_entry_stats (entry_id, department_id, catalog_version,
			live_records, filled_values, item_count) VALUES (1, 10, 2, 2, 4, 3)`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		type count struct {
			Entry  int64
			Item   string
			Filled int64
		}
		rows, err := db.Read().QueryContext(ctx, `SELECT entry_id, item_name, filled FROM record_item_values
			ORDER BY entry_id, filled DESC`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []count
		for rows.Next() {
			var c count
			if err := rows.Scan(&c.Entry, &c.Item, &c.Filled); err != nil {
				t.Fatal(err)
			}
			got = append(got, c)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		want := []count{{1, "姓名", 2}, {1, "户籍地址", 1}, {2, "姓名", 1}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("item values after 0023 (-want +got):\n%s", diff)
		}
		var fillVersion int
		if err := db.Read().QueryRowContext(ctx, `SELECT fill_version FROM record_entry_stats WHERE entry_id = 1`).Scan(&fillVersion); err != nil || fillVersion != 0 {
			t.Errorf("fill_version after 0023: %d, %v; want 0", fillVersion, err)
		}
	})
}
