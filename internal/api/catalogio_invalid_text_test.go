package api_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogImportMappingInvalidText: the mapping part of a multipart
// import holding bytes that are not UTF-8, or an escaped surrogate that is
// not half of a pair, is refused (400 invalid_text, field mapping and its
// JSON path) and nothing is imported, where encoding/json made U+FFFD of
// it and the import applied the default so; other escapes read as before.
func TestCatalogImportMappingInvalidText(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		var key string
		err := db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
			_, key, err = org.CreateApp(context.Background(), tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"},
				org.NewApp{Name: "编目", DepartmentID: f.otherID, Scopes: []string{"catalog.read", "catalog.write"}}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		send := func(query, mapping string) (int, map[string]any) {
			t.Helper()
			return multipartImport(t, f, key, query, part{name: "mapping", body: mapping}, part{name: "file", file: "目录.csv", body: importCSV})
		}
		for _, c := range []struct{ mapping, field string }{
			{"{\"columns\":{},\"defaults\":{\"数据类型\":\"C\xff\",\"长度\":\"18\"}}", "mapping.defaults.数据类型"},
			{`{"columns":{},"defaults":{"数据类型":"C","长度":"\ud80018"}}`, "mapping.defaults.长度"},
			{"{\"columns\":{\"\xc3\x28\":\"\"},\"defaults\":{\"数据类型\":\"C\",\"长度\":\"18\"}}", "mapping.columns"},
		} {
			status, body := send("?good_only=true", c.mapping)
			if status != 400 || body["code"] != "invalid_text" || body["field"] != c.field {
				t.Errorf("mapping %q: %d %v, want 400 invalid_text of %s", c.mapping, status, body, c.field)
			}
		}
		var n int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM catalog_entries`).Scan(&n); err != nil || n != 0 {
			t.Errorf("refused imports stored %d entries (%v)", n, err)
		}
		status, body := send("?good_only=true", `{"columns":{},"defaults":{"数据类型":"\u0043","长度":"1\u0038"}}`)
		if status != 201 || body["created"] != 1.0 {
			t.Errorf("mapping with escapes: %d %v, want 201 with one entry created", status, body)
		}
	})
}
