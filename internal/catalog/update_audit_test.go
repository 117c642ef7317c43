package catalog_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUpdateAuditsNewCode: an edit that changes the classification of an
// entry never published, and so its code, is audited under the new code,
// the old one beside it (old_code); an edit that keeps the code names it
// alone. The audit row used to name the old code only.
func TestUpdateAuditsNewCode(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		e := create(t, w, w.gaj, household())
		details := func() []map[string]string {
			t.Helper()
			rows, err := db.Read().QueryContext(ctx, `SELECT detail FROM audit_log WHERE action = 'catalog.update'
				AND object_id = $1 ORDER BY seq`, strconv.FormatInt(e.ID, 10))
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []map[string]string
			for rows.Next() {
				var s string
				m := map[string]string{}
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal([]byte(s), &m); err != nil {
					t.Fatal(err)
				}
				out = append(out, m)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return out
		}
		r := household()
		r.Classification.SubcategoryCode, r.Classification.SubcategoryName = "002", "流动人口"
		moved := mustStep(t, w, "reclassify", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, r, t0)
		})
		if moved.Code == e.Code {
			t.Fatalf("code %s kept, want a new one", moved.Code)
		}
		r.Abstract = "辖区流动人口的登记情况"
		mustStep(t, w, "edit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, r, t0)
		})
		got := details()
		if len(got) != 2 {
			t.Fatalf("%d catalog.update rows, want 2", len(got))
		}
		if got[0]["code"] != moved.Code || got[0]["old_code"] != e.Code {
			t.Errorf("reclassification audited code %q old_code %q, want %s and %s", got[0]["code"], got[0]["old_code"], moved.Code, e.Code)
		}
		if old, ok := got[1]["old_code"]; got[1]["code"] != moved.Code || ok {
			t.Errorf("edit audited code %q old_code %q, want %s and none", got[1]["code"], old, moved.Code)
		}
	})
}
