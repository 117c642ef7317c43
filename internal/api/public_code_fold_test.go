package api_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPublicEntryCodeFolded: a public entry is found by its resource code
// typed full width (１０１００１／０００００１, as the search finds it) or
// with a zero-width space; before, GET /api/v1/public/catalog/{code} of
// the full-width code was 404 entry_not_found.
func TestPublicEntryCodeFolded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		var code string
		if err := db.Read().QueryRowContext(context.Background(), `SELECT code FROM catalog_entries WHERE id = $1`, rf.entryA).Scan(&code); err != nil {
			t.Fatal(err)
		}
		if r := rf.do(t, "GET", "/api/v1/public/catalog/"+code, "", ""); r.status != 200 {
			t.Fatalf("public entry %s: %d %v", code, r.status, r.body)
		}
		class, seq, _ := strings.Cut(code, "/")
		wide := func(s string) string { return strings.Map(func(r rune) rune { return r + 0xfee0 }, s) }
		for _, typed := range []string{wide(class) + "/" + wide(seq), wide(code), code + "\u200b"} {
			r := rf.do(t, "GET", "/api/v1/public/catalog/"+url.PathEscape(typed), "", "")
			if r.status != 200 || r.body["code"] != code {
				t.Errorf("public entry %q: %d %v, want 200 of %s", typed, r.status, r.body, code)
			}
		}
	})
}
