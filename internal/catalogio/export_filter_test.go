package catalogio_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestExportFilteredAsList: an export under the list's text and filters
// (ExportOptions.Filter) writes the rows of the list, in its order. Before,
// the export read only the department and the statuses, and wrote every
// entry of them whatever the list was narrowed to.
func TestExportFilteredAsList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		for i, r := range resources() {
			create(t, w, w.gaj, r)
			other := r
			other.Name = r.Name + "（副本）"
			if i == 0 {
				other.ShareType = catalog.Conditional
				other.ShareConditions = "须经申请"
			}
			create(t, w, w.gaj, other)
		}
		codes := func(data []byte) []string {
			var out []string
			sc := bufio.NewScanner(bytes.NewReader(data))
			for sc.Scan() {
				var line struct{ Code string }
				if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
					t.Fatal(err)
				}
				out = append(out, line.Code)
			}
			return out
		}
		list := func(q catalog.Query) []string {
			q.DepartmentID, q.Statuses, q.Limit = w.gajID, []catalog.Status{catalog.Draft}, 2
			var out []string
			for {
				page, err := catalog.Search(ctx, db.Read(), w.gaj, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range page.Items {
					out = append(out, s.Code)
				}
				if page.NextCursor == "" {
					return out
				}
				q.Cursor = page.NextCursor
			}
		}
		all := codes(export(t, w, w.gaj, catalogio.JSONL, catalogio.ExportOptions{DepartmentID: w.gajID}))
		for _, q := range []catalog.Query{
			{Text: "信息", Domain: "18", Sort: catalog.ByName},
			{Text: "户籍", ShareType: catalog.Unconditional, Sort: catalog.ByName},
			{Text: "户籍", Sort: catalog.ByRelevance},
			{SecurityLevel: 2, SubjectKind: catalog.LegalEntity, ShareMethod: "batch", UpdateFrequency: catalog.FrequencyOther,
				OpenAttribute: catalog.OpenConditional, Sort: catalog.ByUpdated},
		} {
			want := list(q)
			got := codes(export(t, w, w.gaj, catalogio.JSONL, catalogio.ExportOptions{DepartmentID: w.gajID,
				Statuses: []catalog.Status{catalog.Draft}, Filter: q}))
			if len(want) == 0 || len(want) >= len(all) || !slices.Equal(got, want) {
				t.Errorf("%+v: export %v, list %v (of %d)", q, got, want, len(all))
			}
		}
	})
}
