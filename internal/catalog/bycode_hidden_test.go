package catalog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestByCodeHidesAnotherDepartmentsDraft: a code held by another
// department's draft, which the caller does not see (catalog.Actor.Sees),
// is answered by ByCode as a code held by no entry, the error the same
// but for the code, where it was "数据资源不存在" against "资源代码不存在：X"
// and so told that the draft exists. The draft's department and the
// operator still get the entry.
func TestByCodeHidesAnotherDepartmentsDraft(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		draft := create(t, w, w.gaj, household())
		class, _, _ := strings.Cut(draft.Code, "/")
		missing := class + "/999999"
		answer := func(code string) string {
			_, err := catalog.ByCode(ctx, db.Read(), w.scj, code)
			e := errs.As(err)
			if e == nil {
				t.Fatalf("ByCode %s by 市监: %v, want entry_not_found", code, err)
			}
			return strings.ReplaceAll(fmt.Sprintf("%v %s %s %s", e.Kind, e.Code, e.Field, e.Message), code, "CODE")
		}
		if hidden, none := answer(draft.Code), answer(missing); hidden != none {
			t.Errorf("another department's draft answered\n%s\nwhere a code of no entry is\n%s", hidden, none)
		}
		for _, by := range []catalog.Actor{w.gaj, w.operator} {
			if e, err := catalog.ByCode(ctx, db.Read(), by, draft.Code); err != nil || e.ID != draft.ID {
				t.Errorf("ByCode %s by %s: %v, %v; want the draft", draft.Code, by.Name, e.ID, err)
			}
		}
	})
}
