package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCreateRefusesNameInUse: a new entry named as one of the department's
// entries that is not retired — a draft too, compared as names are (width
// folded, ASCII letters in lower case) — is refused with duplicate_entry_name
// naming that entry, also when the two creations run at once (a form saved
// twice); another department may use the name, and so may the department
// once the entry is retired.
func TestCreateRefusesNameInUse(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		createErr := func(by catalog.Actor, r catalog.Resource) error {
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Create(ctx, tx, by, by.DepartmentID, r, t0)
			})
			return err
		}
		wantDuplicate := func(what string, err error, of catalog.Entry) {
			t.Helper()
			e := errs.As(err)
			if e == nil || e.Kind != errs.Conflict || e.Code != "duplicate_entry_name" || e.Field != "name" ||
				!strings.Contains(e.Message, of.Code) {
				t.Errorf("%s: got %v, want duplicate_entry_name naming %s", what, err, of.Code)
			}
		}
		r := household()
		r.Name = "ABC户籍人口"
		draft := create(t, w, w.gaj, r)
		again := r
		again.Name = "ａｂｃ户籍人口"
		wantDuplicate("a draft's name", createErr(w.gaj, again), draft)
		published := publish(t, w, w.gaj, household())
		wantDuplicate("a published entry's name", createErr(w.gaj, household()), published)
		if err := createErr(w.rsj, household()); err != nil {
			t.Errorf("another department: %v", err)
		}
		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return retireApproved(ctx, tx, w, w.gaj, published.ID, "职能调整")
		}); err != nil {
			t.Fatal(err)
		}
		if err := createErr(w.gaj, household()); err != nil {
			t.Errorf("the name of a retired entry: %v", err)
		}

		twice := household()
		twice.Name = "户籍人口变动信息"
		firstErr, secondErr := sqldbtest.Race(t, db, func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := catalog.Create(ctx, tx, w.gaj, w.gajID, twice, t0)
			return err
		}, func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := catalog.Create(ctx, tx, w.gaj, w.gajID, twice, t0)
			return err
		})
		if firstErr != nil {
			t.Fatalf("first of two creations: %v", firstErr)
		}
		if e := errs.As(secondErr); e == nil || e.Code != "duplicate_entry_name" {
			t.Errorf("second of two creations: %v, want duplicate_entry_name", secondErr)
		}
		var n int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM catalog_entries
			WHERE department_id = $1 AND name = $2`, w.gajID, twice.Name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%d entries named %s, want 1", n, twice.Name)
		}
	})
}
