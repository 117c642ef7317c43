package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/catalog/catalogtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMaximalEntryPutBack: an entry at every limit of the catalog
// (catalogtest.Maximal: 500 data items with descriptions of 2,000
// characters, every text, name and count at its limit), its free texts of
// <, which JSON escapes as six bytes, is created by POST and, as GET
// answers it, sent back by PUT with its ETag: 201, then 200, where its
// 5.9 MiB were refused 413 body_too_large over the 1 MiB of a JSON body,
// so that such an entry could be changed only by a re-import. Both engines.
func TestMaximalEntryPutBack(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		body, err := json.Marshal(catalogtest.Maximal("<"))
		if err != nil {
			t.Fatal(err)
		}
		if len(body) <= api.MaxJSONBody || len(body) > api.MaxEntryBody {
			t.Fatalf("the maximal entry is %d bytes of JSON: not between MaxJSONBody and MaxEntryBody", len(body))
		}
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", string(body), admin...)
		if r.status != 201 {
			t.Fatalf("POST of the maximal entry: %d %v", r.status, r.body)
		}
		path := fmt.Sprintf("/api/v1/catalog/entries/%d", int64(r.body["id"].(float64)))
		resp, got, err := f.send(t, "GET", path, "", "", admin...)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
		}
		if len(got) <= api.MaxJSONBody {
			t.Fatalf("GET answered %d bytes, want more than MaxJSONBody", len(got))
		}
		sent := strings.Replace(string(got), `"timeliness":"文`, `"timeliness":"时`, 1)
		put := f.do(t, "PUT", path, "", sent, append(admin, "If-Match", resp.Header.Get("ETag"))...)
		if put.status != 200 {
			t.Fatalf("PUT of the entry as GET answered it (%d bytes): %d %v, want 200", len(sent), put.status, put.body)
		}
		if put.body["timeliness"] == nil || !strings.HasPrefix(put.body["timeliness"].(string), "时") {
			t.Errorf("PUT answered timeliness %.20v, want the change saved", put.body["timeliness"])
		}
	})
}
