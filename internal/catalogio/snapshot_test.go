package catalogio_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestExportSnapshot: an export of more entries than one page of the
// catalog search reads them all as of one moment: entries renamed while it
// runs (after its first entry is written) are each exported once, under
// their names when it began, where the second page, read after the rename,
// listed an entry renamed past it twice and left out one renamed before it.
func TestExportSnapshot(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		const n = 110
		ids := make([]int64, n)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			r := resources()[2]
			for i := range n {
				r.Name = fmt.Sprintf("资源%03d", i)
				e, err := catalog.Create(ctx, tx, w.gaj, w.gajID, r, t0)
				if err != nil {
					return err
				}
				ids[i] = e.ID
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		out := &renamer{t: t, db: db, by: w.gaj, renames: map[int64]string{ids[0]: "资源999", ids[105]: "资源0000"}}
		got, err := catalogio.Export(ctx, db, w.gaj, out, catalogio.JSONL, catalogio.ExportOptions{DepartmentID: w.gajID})
		if err != nil || got != n {
			t.Fatalf("exported %d, err %v; want %d", got, err, n)
		}
		names := map[string]int{}
		sc := bufio.NewScanner(&out.buf)
		for sc.Scan() {
			var line struct{ Name string }
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				t.Fatal(err)
			}
			names[line.Name]++
		}
		if len(names) != n {
			t.Errorf("exported names %v, want the %d names as the export began", names, n)
		}
		for i := range n {
			if name := fmt.Sprintf("资源%03d", i); names[name] != 1 {
				t.Errorf("%s exported %d times, want once", name, names[name])
			}
		}
	})
}

// renamer collects an export and, on its first write, renames entries.
type renamer struct {
	t       *testing.T
	db      *sqldb.DB
	by      catalog.Actor
	renames map[int64]string
	buf     bytes.Buffer
}

func (r *renamer) Write(p []byte) (int, error) {
	if r.renames != nil {
		ctx := context.Background()
		err := r.db.Tx(ctx, func(tx *sqldb.Tx) error {
			for id, name := range r.renames {
				e, err := catalog.Get(ctx, tx, r.by, id)
				if err != nil {
					return err
				}
				e.Name = name
				if _, err := catalog.Update(ctx, tx, r.by, id, e.Resource, t0); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			r.t.Errorf("rename: %v", err)
		}
		r.renames = nil
	}
	return r.buf.Write(p)
}
