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

// TestLegalBasisOnlyWhenNotShared: 不予共享依据 is the law article a
// resource is not shared by (seed 002: 不予共享的，应说明不共享所依据的法律和法规的具体条款),
// so a shared entry, conditional or not, is refused one on legal_basis
// (unexpected_legal_basis) and nothing is stored; the conditions a
// conditional entry is shared on are its 共享条件.
func TestLegalBasisOnlyWhenNotShared(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for _, st := range []catalog.ShareType{catalog.Conditional, catalog.Unconditional} {
			r := household()
			r.ShareType, r.LegalBasis = st, "《律师法》"
			if st == catalog.Conditional {
				r.ShareConditions = "仅用于户籍核验"
			}
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Create(ctx, tx, w.gaj, w.gajID, r, t0)
			})
			x := errs.As(err)
			if x == nil || x.Kind != errs.Invalid || x.Field != "legal_basis" || x.Code != "unexpected_legal_basis" ||
				!strings.Contains(x.Message, "不予共享依据") {
				t.Errorf("%s with a legal basis: got %v, want unexpected_legal_basis on legal_basis", st, err)
			}
		}
		var n int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM catalog_entries`).Scan(&n); err != nil || n != 0 {
			t.Errorf("after the refusals: %d entries (%v), want none", n, err)
		}
	})
}
