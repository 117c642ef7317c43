package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportMalformedCodeNewName: a row of a new name whose 资源代码 is no
// resource code (another platform's A01001/000001, 101001/2, 101001、
// 000002) is created with a new code, reported as 新编代码, the other rows
// of the file imported with it; de1dadd failed the whole import
// (invalid_code). A row of such a code named as an entry of the
// department is still an error of its row (invalid_code), naming the
// entry's code, not a second entry.
func TestImportMalformedCodeNewName(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		rep, err := importFile(w, w.gaj, []byte(csvHeader+good("已有的资源")), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 1 {
			t.Fatalf("first import: %+v, err %v %v", rep, err, rep.Errors)
		}
		existing := rep.Entries[0].Code
		codes := map[string]string{"外省目录甲": "A01001/000001", "外省目录乙": "301001/2", "外省目录丙": "301001、000002"}
		file := csvHeader + good("另一新资源")
		for name, code := range codes {
			file += coded(name, code)
		}
		rep, err = importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{})
		if err != nil || len(rep.Errors) > 0 {
			t.Fatalf("import of new names with malformed codes: err %v, errors %+v", err, rep.Errors)
		}
		if rep.Created != 4 {
			t.Errorf("created %d, want 4: %+v", rep.Created, rep.Entries)
		}
		for _, e := range rep.Entries {
			if want, ok := codes[e.Name]; ok {
				if e.FileCode != want || e.Code == want || !strings.HasPrefix(e.Code, "301001/") {
					t.Errorf("entry %+v: want created under a new code, file code %s", e, want)
				}
				reported := false
				for _, c := range rep.Changes {
					reported = reported || c.Field == "code" && c.Reason == "新编代码" && c.From == want && c.To == e.Code
				}
				if !reported {
					t.Errorf("entry %s: new code not reported (新编代码) in %+v", e.Name, rep.Changes)
				}
			}
		}
		rep, err = importFile(w, w.gaj, []byte(csvHeader+coded("已有的资源", "A01001/000009")), catalogio.CSV,
			catalogio.Options{GoodOnly: true})
		if err != nil || len(rep.Errors) != 1 || rep.Errors[0].Code != "invalid_code" ||
			!strings.Contains(rep.Errors[0].Message, existing) || rep.Created != 0 {
			t.Errorf("malformed code on the name of an entry: %+v, err %v; want invalid_code naming %s", rep.Errors, err, existing)
		}
	})
}
