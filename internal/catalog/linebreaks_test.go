package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLineBreaksStoredLF: the free texts of an entry are stored with LF
// line breaks whatever the writer sent (CR LF from a browser's textarea, a
// lone CR), on creation and on update, as the API, the console and the
// import all store through Create and Update.
func TestLineBreaksStoredLF(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		r := household()
		r.Abstract = "第一行\r\n第二行\r第三行\r\n"
		e := create(t, w, w.gaj, r)
		if e.Abstract != "第一行\n第二行\n第三行" {
			t.Errorf("created abstract %q, want LF line breaks", e.Abstract)
		}
		r.ShareType, r.ShareConditions = catalog.Conditional, "条件一\r\n条件二"
		r.Items[1].Description = "说明\r\n续"
		e, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, r, t0)
		})
		if err != nil {
			t.Fatal(err)
		}
		if e.Abstract != "第一行\n第二行\n第三行" || e.ShareConditions != "条件一\n条件二" || e.Items[1].Description != "说明\n续" {
			t.Errorf("updated: abstract %q, share conditions %q, description %q, want LF line breaks", e.Abstract, e.ShareConditions, e.Items[1].Description)
		}
	})
}
