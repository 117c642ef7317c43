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

// TestNoSubjectWithoutIdentifyingItem: an entry whose subject kind is 不涉及
// is about no person or legal entity, so a 统一社会信用代码 marked as
// identifying its subject is refused on that item's identifies_subject
// (unexpected_identifying_item) and nothing is stored; the same item
// unmarked is accepted, and so is an item marked that keys the entry's
// records (统一受理号).
func TestNoSubjectWithoutIdentifyingItem(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		r := household()
		r.SubjectKind = catalog.NoSubject
		r.Items[0].IdentifiesSubject = false
		r.Items[2] = catalog.Item{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true}
		_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Create(ctx, tx, w.gaj, w.gajID, r, t0)
		})
		x := errs.As(err)
		if x == nil || x.Kind != errs.Invalid || x.Field != "items[2].identifies_subject" || x.Code != "unexpected_identifying_item" ||
			!strings.Contains(x.Message, "主体类型为“不涉及”的数据资源不能有标识主体的信息项") || !strings.Contains(x.Message, "统一社会信用代码") {
			t.Errorf("no subject with an identifying item: got %v, want unexpected_identifying_item on items[2].identifies_subject", err)
		}
		var n int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM catalog_entries`).Scan(&n); err != nil || n != 0 {
			t.Errorf("after the refusal: %d entries (%v), want none", n, err)
		}
		r.Items[2].IdentifiesSubject = false
		if e := create(t, w, w.gaj, r); e.SubjectKind != catalog.NoSubject {
			t.Errorf("created with subject kind %s", e.SubjectKind)
		}
		r.Name, r.Items[1] = "办件信息", catalog.Item{Name: "统一受理号", Type: "C", Length: 30, IdentifiesSubject: true}
		if e := create(t, w, w.gaj, r); !e.Items[1].IdentifiesSubject {
			t.Errorf("record key stored unmarked: %+v", e.Items)
		}
	})
}
