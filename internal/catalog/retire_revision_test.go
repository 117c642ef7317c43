package catalog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRetireDiscardsRevision: retiring an entry with a revision being
// compiled retires the revision's version too, and the audit row names it
// (revision_discarded); the version stays a draft nowhere, so no list
// offers it as one. Other departments still see only the published
// version, as before.
func TestRetireDiscardsRevision(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		r := household()
		r.Abstract += "（修订）"
		mustStep(t, w, "revise", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, r, t0)
		})
		mustStep(t, w, "retire", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return retireApproved(ctx, tx, w, w.gaj, e.ID, "业务调整")
		})
		states := func(by catalog.Actor) string {
			t.Helper()
			vs, err := catalog.Versions(ctx, db.Read(), by, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, v := range vs {
				out = append(out, fmt.Sprintf("%d:%s", v.Version, v.State))
			}
			return strings.Join(out, " ")
		}
		if got := states(w.gaj); got != "1:retired 2:retired" {
			t.Errorf("versions after retiring: %s, want 1:retired 2:retired", got)
		}
		if got := states(w.rsj); got != "1:retired" {
			t.Errorf("versions another department sees: %s, want 1:retired", got)
		}
		var detail string
		if err := db.Read().QueryRowContext(ctx, `SELECT detail FROM audit_log WHERE action = 'catalog.retire.approve'
			ORDER BY seq DESC LIMIT 1`).Scan(&detail); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(detail, `"revision_discarded":"2"`) {
			t.Errorf("retirement audit detail %s, want revision_discarded 2", detail)
		}
	})
}
