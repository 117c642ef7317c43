package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNoDataRows: a file that holds no entry (the export of a department
// without entries, only its header rows; a CSV of its header; an empty
// JSON lines file) is refused as a whole file (empty_file), as a file
// without a header row is, not reported as a dry run that would create 0
// entries and update 0.
func TestNoDataRows(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		none := catalogio.ExportOptions{DepartmentID: w.gajID}
		for _, tt := range []struct {
			name   string
			format catalogio.Format
			data   []byte
			want   string
		}{
			{"csv export", catalogio.CSV, export(t, w, w.gaj, catalogio.CSV, none), "文件中没有数据资源（只有表头）"},
			{"csv header", catalogio.CSV, []byte(csvHeader + ",,,\n\n"), "文件中没有数据资源（只有表头）"},
			{"xlsx export", catalogio.XLSX, export(t, w, w.gaj, catalogio.XLSX, none), "文件中没有数据资源（只有表头）"},
			{"jsonl export", catalogio.JSONL, export(t, w, w.gaj, catalogio.JSONL, none), "文件中没有数据资源"},
			{"jsonl blank lines", catalogio.JSONL, []byte("\n \n"), "文件中没有数据资源"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				for _, dry := range []bool{true, false} {
					rep, err := importFile(w, w.gaj, tt.data, tt.format, catalogio.Options{DryRun: dry})
					if e := errs.As(err); e == nil || e.Code != "import_rejected" || !strings.Contains(e.Message, "文件有 1 处问题") {
						t.Fatalf("dry run %v: got err %v, want import_rejected of the file", dry, err)
					}
					if len(rep.Errors) != 1 || rep.Errors[0].Code != "empty_file" || rep.Errors[0].Row != 0 ||
						!strings.HasPrefix(rep.Errors[0].Message, tt.want) {
						t.Errorf("dry run %v: got errors %+v, want one empty_file: %s", dry, rep.Errors, tt.want)
					}
				}
			})
		}
	})
}
