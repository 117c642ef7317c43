package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestExportDefaultStatuses: GET /catalog/export without status leaves the
// department's own retired entries out (an import would bring them back as
// drafts, docs/catalog-workbook.md) and status=retired exports them; the
// OpenAPI text of status says so, where it promised every status the
// caller may see.
func TestExportDefaultStatuses(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		retired := publishedEntry(t, f, admin, op)
		if r := f.do(t, "POST", retired+"/retire", "", `{"reason":"停止采集"}`, op...); r.status != 200 {
			t.Fatalf("retire: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", "/api/v1/catalog/entries", "", strings.Replace(marriageEntry, "婚姻登记信息", "收养登记信息", 1), admin...); r.status != 201 {
			t.Fatalf("create: %d %v", r.status, r.body)
		}
		export := func(query string) (names []string) {
			t.Helper()
			req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/catalog/export?format=jsonl"+query, nil)
			req.Header.Set("Cookie", admin[1])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 {
				b, _ := io.ReadAll(resp.Body)
				t.Fatalf("export%s: %d %s", query, resp.StatusCode, b)
			}
			dec := json.NewDecoder(resp.Body)
			for dec.More() {
				var line map[string]any
				if err := dec.Decode(&line); err != nil {
					t.Fatal(err)
				}
				names = append(names, line["name"].(string))
			}
			return names
		}
		if got := export(""); len(got) != 1 || got[0] != "收养登记信息" {
			t.Errorf("default export: %v, want the draft alone", got)
		}
		if got := export("&status=retired"); len(got) != 1 || got[0] != "婚姻登记信息" {
			t.Errorf("export of status retired: %v, want the retired entry", got)
		}
		var desc string
		for _, p := range openAPIDoc(t)["paths"].(map[string]any)["/api/v1/catalog/export"].(map[string]any)["get"].(map[string]any)["parameters"].([]any) {
			if p := p.(map[string]any); p["name"] == "status" {
				desc, _ = p["description"].(string)
			}
		}
		if !strings.Contains(desc, "but retired") {
			t.Errorf("OpenAPI status of GET /catalog/export: %q, want the default to leave retired entries out", desc)
		}
	})
}
