package catalogio_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestExportRevisionOfView: the export of the 草稿与退回 or 待审核 view
// (statuses draft,rejected or submitted, without published) writes the
// revision of a published entry the view lists it for, as the list shows
// it; the export of the published catalog writes the version in force.
// Before, every export wrote the version in force.
func TestExportRevisionOfView(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w, r, revised, resubmit := publishedRevised(t, db)
		statuses := func(sts ...catalog.Status) catalogio.ExportOptions {
			return catalogio.ExportOptions{DepartmentID: w.gajID, Statuses: sts}
		}
		check := func(what string, by catalog.Actor, opt catalogio.ExportOptions, want, not string) {
			t.Helper()
			out := string(export(t, w, by, catalogio.JSONL, opt))
			if !strings.Contains(out, want) || strings.Contains(out, not) {
				t.Errorf("%s: export %s; want %q, not %q", what, out, want, not)
			}
		}
		check("草稿与退回", w.gaj, statuses(catalog.Draft, catalog.Rejected), revised.Abstract, r.Abstract)
		check("已发布", w.gaj, statuses(catalog.Published), "迁入迁出", revised.Abstract)
		resubmit()
		check("待审核, the department", w.gaj, statuses(catalog.Submitted), revised.Abstract, r.Abstract)
		check("待审核, the operator", w.operator, statuses(catalog.Submitted), revised.Abstract, r.Abstract)
		check("the default", w.gaj, catalogio.ExportOptions{DepartmentID: w.gajID}, "迁入迁出", revised.Abstract)
	})
}

// publishedRevised creates gaj's first resource, has it published, and
// saves a revision of it with another abstract; resubmit submits the
// revision for review.
func publishedRevised(t *testing.T, db *sqldb.DB) (w *world, r, revised catalog.Resource, resubmit func()) {
	ctx := context.Background()
	w = newWorld(t, db)
	r = resources()[0]
	revised = r
	revised.Abstract = "修订稿的摘要：含迁入迁出和户籍变动"
	e := publishRevised(t, w, r, revised)
	return w, r, revised, func() {
		t.Helper()
		inTx(t, db, func(tx *sqldb.Tx) error { _, err := catalog.Submit(ctx, tx, w.gaj, e.ID, t0); return err })
	}
}

// publishRevised creates r as gaj's, has gaj submit it and the operator
// approve it, and saves rev as its revision.
func publishRevised(t *testing.T, w *world, r, rev catalog.Resource) catalog.Entry {
	t.Helper()
	ctx := context.Background()
	e := create(t, w, w.gaj, r)
	inTx(t, w.db, func(tx *sqldb.Tx) error { _, err := catalog.Submit(ctx, tx, w.gaj, e.ID, t0); return err })
	inTx(t, w.db, func(tx *sqldb.Tx) error { _, err := catalog.Approve(ctx, tx, w.operator, e.ID, t0); return err })
	inTx(t, w.db, func(tx *sqldb.Tx) error { _, err := catalog.Update(ctx, tx, w.gaj, e.ID, rev, t0); return err })
	return e
}

// inTx runs fn in a transaction of db, failing the test on its error.
func inTx(t *testing.T, db *sqldb.DB, fn func(tx *sqldb.Tx) error) {
	t.Helper()
	if err := db.Tx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}
