package catalogio_test

import (
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalog/catalogtest"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestXLSXAtEveryLimitUnchanged: an entry at every limit of the catalog
// (catalogtest.Maximal: its names of characters two UTF-16 units long, its
// service items' names escaped in every other character, the most service
// items and related codes) fits the cells of a workbook, so that its XLSX
// export, imported again as a dry run, leaves it unchanged. Both engines.
func TestXLSXAtEveryLimitUnchanged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		create(t, w, w.gaj, catalogtest.Maximal(catalogtest.Astral))
		file := export(t, w, w.gaj, catalogio.XLSX, catalogio.ExportOptions{})
		rep, err := importFile(w, w.gaj, file, catalogio.XLSX, catalogio.Options{DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Unchanged != 1 || rep.Updated != 0 || rep.Created != 0 || len(rep.Errors) != 0 || len(rep.Changes) != 0 {
			t.Errorf("dry run of the export: unchanged %d, updated %d, created %d, errors %v, changes %v; want unchanged",
				rep.Unchanged, rep.Updated, rep.Created, rep.Errors, rep.Changes)
		}
	})
}

// TestXLSXRefusesCellItWouldCut: an entry stored before the catalog
// bounded its 项 name, holding one longer than a workbook's cell
// (excelize.TotalCellChars), is refused by the XLSX export (400
// cell_too_long naming the entry and the column) rather than exported cut,
// where the cell held its first 32,767 characters and a re-import stored
// them; CSV holds it whole. Both engines.
func TestXLSXRefusesCellItWouldCut(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		create(t, w, w.gaj, resources()[0])
		long := strings.Repeat("政", excelize.TotalCellChars+1)
		for _, table := range []string{"catalog_entries", "catalog_entry_versions"} {
			sqldbtest.Exec(t, db, `UPDATE `+table+` SET data = REPLACE(data, '"category_name":"人口"', $1)`,
				`"category_name":"`+long+`"`)
		}
		var out strings.Builder
		_, err := catalogio.Export(context.Background(), db, w.gaj, &out, catalogio.XLSX, catalogio.ExportOptions{})
		e := errs.As(err)
		if e == nil || e.Kind != errs.Invalid || e.Code != "cell_too_long" ||
			!strings.Contains(e.Message, "户籍人口基本信息") || !strings.Contains(e.Message, "项名称") {
			t.Fatalf("XLSX export: %v; want 400 cell_too_long naming the entry and 项名称", err)
		}
		if out.Len() != 0 {
			t.Errorf("XLSX export refused: %d bytes written", out.Len())
		}
		if csv := export(t, w, w.gaj, catalogio.CSV, catalogio.ExportOptions{}); !strings.Contains(string(csv), long) {
			t.Error("CSV export does not hold the whole 项 name")
		}
	})
}

// TestImportRefusesLongClassName: a 项 name of catalog.MaxClassName + 1
// characters is refused by the import (too_long), as the console's form
// always refused it, where it was stored. Both engines.
func TestImportRefusesLongClassName(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		row := strings.Replace(good("户籍登记信息"), ",综合,", ","+strings.Repeat("政", catalog.MaxClassName+1)+",", 1)
		rep, err := importFile(w, w.gaj, []byte(csvHeader+row), catalogio.CSV, catalogio.Options{})
		if err == nil || rep == nil || rep.Created != 0 || len(rep.Errors) != 1 ||
			rep.Errors[0].Code != "too_long" || rep.Errors[0].Field != "classification.category_name" {
			t.Fatalf("import: %v %+v; want the row refused, too_long on classification.category_name", err, rep)
		}
	})
}
