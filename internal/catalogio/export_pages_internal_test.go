package catalogio

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalog/catalogtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// counter is a Querier that counts the queries it runs.
type counter struct {
	sqldb.Querier
	n int
}

func (c *counter) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n++
	return c.Querier.QueryContext(ctx, query, args...)
}

func (c *counter) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	c.n++
	return c.Querier.QueryRowContext(ctx, query, args...)
}

// TestExportPages: the export reads the catalog a page at a time, two
// queries a page (the page of the list, then its entries: catalog.Listed),
// where it read each entry again by catalog.Get, two to four queries an
// entry (300,000 on a catalog of 100,000); and it gives every entry once,
// in the order of name and id, over names that tie and mix scripts and
// cases, each as catalog.Get gives it (but the items' source pointers,
// which no export writes), on both engines.
func TestExportPages(t *testing.T) {
	names := []string{"户籍人口基本信息", "户籍人口基本信息A", "户籍人口基本信息a", "ABC企业登记信息", "abc企业登记信息",
		"ＡＢＣ企业登记信息", "𠀀地名信息", "地名信息", "a", "A"}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		d := catalogtest.NewDistrict(t, db, time.Now())
		depts := []int64{d.GAJ.DepartmentID, d.RSJ.DepartmentID, d.SCJ.DepartmentID}
		if err := catalog.Generate(ctx, db, depts, 250, rand.New(rand.NewPCG(7, 8)), names, nil); err != nil {
			t.Fatal(err)
		}
		want, err := sqldb.IDs(ctx, db.Read(), `SELECT id FROM catalog_entries ORDER BY name, id`)
		if err != nil {
			t.Fatal(err)
		}
		q := &counter{Querier: db.Read()}
		var got []catalog.Entry
		n, err := eachEntry(ctx, q, d.Operator, ExportOptions{}, func(e catalog.Entry) error {
			got = append(got, e)
			return nil
		})
		if err != nil || n != len(want) {
			t.Fatalf("eachEntry: %d entries, %v; want %d", n, err, len(want))
		}
		var ids []int64
		for _, e := range got {
			ids = append(ids, e.ID)
		}
		if !slices.Equal(ids, want) {
			t.Errorf("entries %v, want %v in the order of name, id", ids, want)
		}
		if pages := (len(want) + 99) / 100; q.n > 2*pages {
			t.Errorf("%d queries for %d entries, %d pages; want 2 a page", q.n, len(want), pages)
		}
		for _, e := range got {
			g, err := catalog.Get(ctx, db.Read(), d.Operator, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			for i := range g.Items {
				g.Items[i].Source = nil
			}
			g.RetireRequest, g.ReviewDue = nil, false
			if !reflect.DeepEqual(e, g) {
				t.Errorf("entry %d exported as\n%+v\nwant, as Get gives it,\n%+v", e.ID, e, g)
				break
			}
		}
	})
}
