package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogEntryHistory: GET …/entries/{id}/history answers the entry's
// history as the console's 审核记录 shows it, every retirement request and
// its outcome among the reviews, with who and the reason, as its OpenAPI
// schema says. Before, the API had no history of an entry, and the history
// no retirement request.
func TestCatalogEntryHistory(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		base := publishedEntry(t, f, admin, op)
		for _, c := range []struct {
			path, body string
			status     int
			by         []string
		}{
			{"/retire", `{"reason":"停止采集"}`, 202, admin},
			{"/retire/reject", `{"reason":"仍有部门在用"}`, 200, op},
			{"/retire", `{"reason":"已并入其他资源"}`, 202, admin},
			{"/retire/withdraw", "", 200, admin},
		} {
			if r := f.do(t, "POST", base+c.path, "", c.body, c.by...); r.status != c.status {
				t.Fatalf("POST …%s: %d %v", c.path, r.status, r.body)
			}
		}
		r := f.do(t, "GET", base+"/history", "", "", admin...)
		if r.status != 200 {
			t.Fatalf("history: %d %v", r.status, r.body)
		}
		doc := openAPIDoc(t)
		schema := documentedResponse(t, doc, "GET", "/api/v1/catalog/entries/{id}/history", 200)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
		for _, e := range schemaErrors(doc, schema, r.body, "") {
			t.Errorf("history: %s", e)
		}
		var got []string
		items, _ := r.body["items"].([]any)
		for _, it := range items {
			step := it.(map[string]any)
			if a := step["action"].(string); strings.HasPrefix(a, "retire_") {
				got = append(got, fmt.Sprintf("%s %v %v", a, step["by"], step["reason"]))
			}
		}
		want := "retire_request mz.admin 停止采集|retire_reject nh.op 仍有部门在用|retire_request mz.admin 已并入其他资源|retire_withdraw mz.admin <nil>"
		if strings.Join(got, "|") != want {
			t.Errorf("retirement steps %q, want %q", strings.Join(got, "|"), want)
		}
		if len(items) == 0 || items[0].(map[string]any)["action"] != "submit" {
			t.Errorf("history %v, want the submission first", items)
		}
	})
}
