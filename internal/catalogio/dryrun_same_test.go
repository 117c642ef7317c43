package catalogio_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDryRunReportIsImports: a dry run reports what the import of the same
// file then does, row for row (created, updated, unchanged and failed
// rows, the codes given, the rows submitted), though it writes no search
// tokens (catalog.WithoutSearchIndex). Only the ids of created entries may
// differ, on PostgreSQL, whose sequences a rollback does not take back.
func TestDryRunReportIsImports(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		first := csvHeader + good("已有甲") + good("已有乙")
		if rep, err := importFile(w, w.gaj, []byte(first), catalogio.CSV, catalogio.Options{}); err != nil || rep.Created != 2 {
			t.Fatalf("first import: %v %+v", err, rep)
		}
		file := []byte(csvHeader + strings.Replace(good("已有甲"), ",摘要,", ",新的摘要,", 1) + good("已有乙") +
			good("新增丙") + strings.Replace(good("错误丁"), "公共安全", "", 1) + good("新增戊"))
		for _, opt := range []catalogio.Options{{GoodOnly: true}, {GoodOnly: true, Submit: true}} {
			dryOpt := opt
			dryOpt.DryRun = true
			dry, err := importFile(w, w.gaj, file, catalogio.CSV, dryOpt)
			if err != nil {
				t.Fatalf("dry run: %v", err)
			}
			real, err := importFile(w, w.gaj, file, catalogio.CSV, opt)
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			if real.Created != 2 || real.Updated != 1 || real.Unchanged != 1 || real.RowsWithErrors != 1 {
				t.Fatalf("import: got %+v", real)
			}
			for _, rep := range []*catalogio.Report{dry, real} {
				rep.DryRun, rep.Imported = false, false
				for i := range rep.Entries {
					if rep.Entries[i].Action == "created" {
						rep.Entries[i].ID = 0
					}
				}
			}
			if diff := cmp.Diff(real, dry); diff != "" {
				t.Errorf("submit %v: dry run and import differ (-import +dry run):\n%s", opt.Submit, diff)
			}
			// The next options start again from the first import alone,
			// in a fresh database.
			w = newWorld(t, otherDB(t, db))
			if _, err := importFile(w, w.gaj, []byte(first), catalogio.CSV, catalogio.Options{}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
