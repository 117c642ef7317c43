package sqldb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestMigration0018KeepsFeedback: 0018 starts each discrepancy's feedback
// history with the feedback its sides hold, oldest first, and nothing for
// a side that gave none.
func TestMigration0018KeepsFeedback(t *testing.T) {
	atMigration(t, "0016_record_discrepancies_awaiting_correction.sql", func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		for _, r := range []struct {
			id     int64
			fa, fb string
			aAt    any
			bAt    any
		}{
			{1, "甲方反馈", "乙方反馈", at.Add(2 * time.Hour), at.Add(time.Hour)},
			{2, "", "乙方反馈二", nil, at.Add(3 * time.Hour)},
			{3, "", "", nil, nil},
		} {
			if _, err := db.Write().ExecContext(ctx, `INSERT INTO record_discrepancies (id, subject_kind, item_key, subject_id,
				entry_a, entry_b, department_a, department_b, item_a, item_b, value_a, value_b, status, found_by,
				found_at, due_at, feedback_a, feedback_a_at, feedback_b, feedback_b_at)
				VALUES ($1, 'person', '姓名', $8, 1, 2, 10, 20, '姓名', '姓名', 'a', 'b', 'open', 'sweep', $2, $3, $4, $5, $6, $7)`,
				r.id, at, at.Add(7*24*time.Hour), r.fa, r.aAt, r.fb, r.bAt, fmt.Sprint("S", r.id)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		type feedback struct {
			Discrepancy, Department int64
			Text                    string
			At                      time.Time
		}
		rows, err := db.Read().QueryContext(ctx, `SELECT discrepancy_id, department_id, feedback, given_at
			FROM record_discrepancy_feedback ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []feedback
		for rows.Next() {
			var f feedback
			if err := rows.Scan(&f.Discrepancy, &f.Department, &f.Text, &f.At); err != nil {
				t.Fatal(err)
			}
			f.At = f.At.UTC()
			got = append(got, f)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		want := []feedback{
			{1, 20, "乙方反馈", at.Add(time.Hour)},
			{1, 10, "甲方反馈", at.Add(2 * time.Hour)},
			{2, 20, "乙方反馈二", at.Add(3 * time.Hour)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("feedback history after 0018 (-want +got):\n%s", diff)
		}
	})
}
