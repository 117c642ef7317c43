package catalog_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCursorOfAnotherList: a catalog cursor pages the list that gave it.
// One sent with another status, text or filter, or by the public catalog
// for a staff list's (and back), is refused with 400 invalid_cursor, where
// it was taken for a place in the other order and silently skipped rows
// (or answered an empty page). The same list's cursor pages it to the end.
func TestCursorOfAnotherList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		for i := range 3 {
			r := household()
			r.Name = fmt.Sprintf("户籍草稿%d", i)
			create(t, w, w.gaj, r)
			r.Name = fmt.Sprintf("户籍公开%d", i)
			publish(t, w, w.gaj, r)
		}
		drafts := catalog.Query{Statuses: []catalog.Status{catalog.Draft}, Sort: catalog.ByName, Limit: 1}
		first, err := catalog.Search(ctx, db.Read(), w.gaj, drafts)
		if err != nil || first.NextCursor == "" {
			t.Fatalf("first page of drafts: %+v, %v", first, err)
		}
		refused := func(what string, by catalog.Actor, q catalog.Query) {
			t.Helper()
			q.Cursor = first.NextCursor
			p, err := catalog.Search(ctx, db.Read(), by, q)
			if e := errs.As(err); e == nil || e.Kind != errs.Invalid || e.Code != "invalid_cursor" || e.Field != "cursor" {
				t.Errorf("%s: got %d items, %v; want 400 invalid_cursor", what, len(p.Items), err)
			}
		}
		published := drafts
		published.Statuses = []catalog.Status{catalog.Published}
		refused("status=published", w.gaj, published)
		withText := drafts
		withText.Text = "户籍"
		refused("q", w.gaj, withText)
		ofDept := drafts
		ofDept.DepartmentID = w.gajID
		refused("department_id", w.gaj, ofDept)
		refused("another reader", w.operator, drafts)
		q := published
		q.Cursor = first.NextCursor
		if p, err := catalog.Public(ctx, db.Read(), q); err == nil {
			t.Errorf("public catalog took a staff list's cursor: %d items, next %q", len(p.Items), p.NextCursor)
		}
		pub, err := catalog.Public(ctx, db.Read(), published)
		if err != nil || pub.NextCursor == "" {
			t.Fatalf("public first page: %+v, %v", pub, err)
		}
		staff := published
		staff.Cursor = pub.NextCursor
		if p, err := catalog.Search(ctx, db.Read(), w.gaj, staff); err == nil {
			t.Errorf("staff list took the public catalog's cursor: %d items", len(p.Items))
		}
		// The same list, with a larger limit, pages on.
		var got []string
		p := first
		for p.NextCursor != "" {
			q := drafts
			q.Cursor, q.Limit = p.NextCursor, 5
			if p, err = catalog.Search(ctx, db.Read(), w.gaj, q); err != nil {
				t.Fatalf("next page: %v", err)
			}
			got = append(got, names(p)...)
		}
		if fmt.Sprint(got) != "[户籍草稿1 户籍草稿2]" {
			t.Errorf("later pages of drafts: %v", got)
		}
	})
}
