package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestExportFiltersAsList: GET /catalog/export takes the list's text and
// filters (q, share_type, security_level, sort …), read and checked as GET
// /catalog/entries reads them, and its file holds the list's rows in the
// list's order. Before, the export refused them as unknown parameters:
// its file could not be narrowed as the list was.
func TestExportFiltersAsList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		for _, e := range []string{
			marriageEntry,
			strings.Replace(marriageEntry, "婚姻登记信息", "补领婚姻登记证信息", 1),
			strings.NewReplacer("婚姻登记信息", "收养登记信息", `"security_level":3`, `"security_level":2`).Replace(marriageEntry),
			strings.NewReplacer("婚姻登记信息", "殡葬服务信息", "结婚登记、离婚登记及补领婚姻登记证信息", "火化和骨灰安放").Replace(marriageEntry),
		} {
			if r := f.do(t, "POST", "/api/v1/catalog/entries", "", e, admin...); r.status != 201 {
				t.Fatalf("create: %d %v", r.status, r.body)
			}
		}
		get := func(path string) (int, []byte) {
			t.Helper()
			req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
			req.Header.Set("Cookie", admin[1])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, b
		}
		for _, query := range []string{
			"status=draft&q=婚姻登记&sort=name",
			"status=draft&q=婚姻登记&security_level=3&share_type=conditional&sort=name",
			"status=draft&q=婚姻&sort=relevance",
			"status=draft&security_level=2&domain=11&share_method=verify&subject_kind=person&open_attribute=closed&update_frequency=realtime&sort=updated",
		} {
			status, body := get("/api/v1/catalog/entries?limit=100&" + query)
			var page struct{ Items []struct{ Name string } }
			if status != 200 || json.Unmarshal(body, &page) != nil {
				t.Fatalf("list %s: %d %s", query, status, body)
			}
			var want []string
			for _, it := range page.Items {
				want = append(want, it.Name)
			}
			status, body = get("/api/v1/catalog/export?format=jsonl&" + query)
			if status != 200 {
				t.Fatalf("export %s: %d %s", query, status, body)
			}
			var got []string
			dec := json.NewDecoder(strings.NewReader(string(body)))
			for dec.More() {
				var line struct{ Name string }
				if err := dec.Decode(&line); err != nil {
					t.Fatal(err)
				}
				got = append(got, line.Name)
			}
			if len(want) == 0 || len(want) == 4 || !slices.Equal(got, want) {
				t.Errorf("%s: export %v, list %v", query, got, want)
			}
		}
		for query, code := range map[string]string{
			"share_type=sometimes":          "invalid_filter",
			"security_level=5":              "invalid_filter",
			"review_due=maybe":              "invalid_boolean",
			"sort=size":                     "invalid_sort",
			"q=" + strings.Repeat("户", 101): "query_too_long",
		} {
			status, body := get("/api/v1/catalog/export?format=jsonl&" + query)
			if status != 400 || !strings.Contains(string(body), `"`+code+`"`) {
				t.Errorf("export %s: %d %s, want 400 %s", query, status, body, code)
			}
		}
	})
}
