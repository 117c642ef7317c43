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

// TestImportKeepsOldNames: a draft stored before today's name check under a
// name holding U+200B, exported and imported back with its abstract
// changed, updates the draft, as the console's and the API's edit of the
// abstract alone does since a29d0d9; the import refused the whole file
// (invalid_characters on the name it kept). A name changed to another
// holding U+200B is still refused.
func TestImportKeepsOldNames(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		r := resources()[0]
		r.Name = "殡葬服务旧名"
		e := create(t, w, w.gaj, r)
		const oldName = "殡葬服务\u200b记录信息"
		for _, q := range []string{
			`UPDATE catalog_entries SET name = $2, name_key = $2, data = REPLACE(data, '殡葬服务旧名', $2) WHERE id = $1`,
			`UPDATE catalog_entry_versions SET data = REPLACE(data, '殡葬服务旧名', $2) WHERE entry_id = $1`,
		} {
			if _, err := db.Write().ExecContext(ctx, q, e.ID, oldName); err != nil {
				t.Fatal(err)
			}
		}
		file := string(export(t, w, w.gaj, catalogio.JSONL, catalogio.ExportOptions{Statuses: []catalog.Status{catalog.Draft}}))
		if !strings.Contains(file, `殡葬服务\u200b记录信息`) && !strings.Contains(file, oldName) {
			t.Fatalf("the export lacks the old name:\n%s", file)
		}
		edited := strings.Replace(file, r.Abstract[:strings.Index(r.Abstract, "，")], "辖区户籍人口的身份信息", 1)
		if edited == file {
			t.Fatalf("the abstract was not found in the export:\n%s", file)
		}
		rep, err := importFile(w, w.gaj, []byte(edited), catalogio.JSONL, catalogio.Options{})
		if err != nil || len(rep.Errors) != 0 {
			t.Fatalf("import of the abstract changed: %v %+v", err, rep)
		}
		got, err := catalog.Get(ctx, db.Read(), w.gaj, e.ID)
		if err != nil || got.Name != oldName || !strings.HasPrefix(got.Abstract, "辖区户籍人口的身份信息") {
			t.Fatalf("after import: %q %q %v", got.Name, got.Abstract, err)
		}
		renamed := strings.Replace(edited, "记录信息", "火化信息", 1)
		rep, err = importFile(w, w.gaj, []byte(renamed), catalogio.JSONL, catalogio.Options{})
		if err == nil || len(rep.Errors) != 1 || rep.Errors[0].Field != "name" || rep.Errors[0].Code != "invalid_characters" {
			t.Errorf("import renamed to another name with U+200B: %v %+v, want the name refused", err, rep.Errors)
		}
	})
}
