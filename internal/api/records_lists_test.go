package api_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsListsEnd: the records lists paged by their own cursor
// parameter (batches before, the change feed and discrepancies after) hold
// next_cursor only while more follow: not on the last page, even a full
// one, nor on an empty answer; every item comes once. A parameter a list
// does not take, such as cursor on these, is refused rather than ignored.
func TestRecordsListsEnd(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		b := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryB, 10)
		at := beijing(t0.Add(-time.Minute))
		// Three subjects in both entries, 民政 naming each differently: three
		// pushes (batches) of 公安, six changes of its entry, three differences.
		for i := range 3 {
			s := recordstest.CitizenID(3000 + i)
			if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", s, at, map[string]string{"姓名": "张三"})); r.status != 201 {
				t.Fatalf("push to 公安: %d %v", r.status, r.body)
			}
			if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("change", s, at, map[string]string{"居住地址": "桂城街道1号"})); r.status != 201 {
				t.Fatalf("change in 公安: %d %v", r.status, r.body)
			}
			if r := rf.do(t, "POST", b+"/ops", rf.mzKey, opLine("add", s, at, map[string]string{"姓名": "张叁"})); r.status != 201 {
				t.Fatalf("push to 民政: %d %v", r.status, r.body)
			}
		}
		walk := func(what, u, list, param string, limit int) []string {
			t.Helper()
			var keys []string
			cursor := ""
			for range 10 {
				r := rf.do(t, "GET", u+"&limit="+strconv.Itoa(limit)+cursor, rf.gaKey, "")
				if r.status != 200 {
					t.Fatalf("%s: %d %v", what, r.status, r.body)
				}
				items, ok := r.body[list].([]any)
				if !ok {
					t.Fatalf("%s: no %s in %v", what, list, r.body)
				}
				for _, it := range items {
					m := it.(map[string]any)
					k := m["seq"]
					if k == nil {
						k = m["id"]
					}
					if k == nil {
						k = m["batch_id"]
					}
					keys = append(keys, jsonNumber(k))
				}
				next, more := r.body["next_cursor"]
				if !more {
					return keys
				}
				if len(items) != limit {
					t.Errorf("%s: a page of %d before the last, want %d", what, len(items), limit)
				}
				cursor = "&" + param + "=" + jsonNumber(next)
			}
			t.Fatalf("%s: no last page", what)
			return nil
		}
		for _, c := range []struct {
			what, u, list, param string
			total                int
		}{
			{"batches", "/api/v1/records/batches?entry_id=" + strconv.FormatInt(rf.entryA, 10), "batches", "before", 6},
			{"change feed", a + "/changes?purpose=x", "changes", "after", 6},
			{"discrepancies", "/api/v1/records/discrepancies?status=open&purpose=x", "discrepancies", "after", 3},
		} {
			for _, limit := range []int{1, 2, c.total, c.total + 1} {
				keys := walk(c.what, c.u, c.list, c.param, limit)
				if len(keys) != c.total || len(slices.Compact(slices.Clone(keys))) != c.total {
					t.Errorf("%s by %d: %v, want %d different items", c.what, limit, keys, c.total)
				}
			}
		}
		for _, u := range []string{"/api/v1/records/discrepancies?status=resolved&purpose=x", a + "/changes?after=1000&purpose=x", "/api/v1/records/batches?before=1"} {
			r := rf.do(t, "GET", u, rf.gaKey, "")
			if _, more := r.body["next_cursor"]; r.status != 200 || more {
				t.Errorf("empty %s: %d %v, want no next_cursor", u, r.status, r.body)
			}
		}
		for _, u := range []string{"/api/v1/records/discrepancies?status=resolved&cursor=11", a + "/changes?cursor=2",
			"/api/v1/records/batches?after=3", "/api/v1/records/quality?after=1", "/api/v1/records/stale?before=1",
			a + "/subjects/" + recordstest.CitizenID(3000) + "/history?after=1"} {
			r := rf.do(t, "GET", u, rf.gaKey, "")
			if r.status != 400 || r.body["code"] != "unknown_parameter" || !strings.Contains(r.body["detail"].(string), "不支持的参数") {
				t.Errorf("%s: %d %v, want 400 unknown_parameter", u, r.status, r.body)
			}
		}
	})
}

// TestRoutesTakeTheirDocumentedParameters: every route takes exactly the
// query parameters its OpenAPI operation lists, and refuses any other.
func TestRoutesTakeTheirDocumentedParameters(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	a := &api.API{}
	a.Register(http.NewServeMux())
	for _, rt := range a.Routes() {
		op := docOperation(doc, rt.Method, rt.DocPath())
		documented := []string{}
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			p := p.(map[string]any)
			if ref, ok := p["$ref"].(string); ok {
				p = doc["components"].(map[string]any)["parameters"].(map[string]any)[strings.TrimPrefix(ref, "#/components/parameters/")].(map[string]any)
			}
			if p["in"] == "query" {
				documented = append(documented, p["name"].(string))
			}
		}
		got := slices.Sorted(slices.Values(append([]string{}, rt.Query...)))
		if slices.Sort(documented); !slices.Equal(got, documented) {
			t.Errorf("%s %s takes %v, OpenAPI lists %v", rt.Method, rt.Path, got, documented)
		}
	}
}
