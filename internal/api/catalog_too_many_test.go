package api_test

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// manyItems is an entry body of n empty elements in its list key, after
// head and before tail.
func manyItems(head, key string, n int, tail string) string {
	return head + `"` + key + `":[` + strings.Repeat("{},", n-1) + `{}]` + tail
}

// TestEntryTooManyItemsBounded: a POST or PUT of an entry whose list is
// over its limit is refused with the validator's too_many_items before its
// elements are decoded. An 8 MiB body of 2.8 million empty data items was
// decoded whole, about 1.27 GiB allocated, before catalog's validation
// refused it; the request now allocates a few times the body. A list over
// its limit is refused as validation refuses it (the first of items,
// service_items, related_codes), whatever the order of the body's keys,
// a key in another case (which encoding/json takes) and after a byte order
// mark too, and before the body's unknown fields are listed. A body with a
// syntax error is still malformed_json, one over MaxEntryBody still
// body_too_large.
func TestEntryTooManyItemsBounded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, admin...)
		if r.status != 201 {
			t.Fatalf("create: %d %v", r.status, r.body)
		}
		entry := "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		// want is the problem of the validator's first refusal of res.
		want := func(t *testing.T, res catalog.Resource) api.Problem {
			t.Helper()
			es := catalog.ValidateEntry(res)
			if len(es) == 0 || es[0].Code != "too_many_items" {
				t.Fatalf("validation of the resource: %v, want too_many_items first", es)
			}
			return api.ProblemFor(es[0])
		}
		// refused sends body by POST and PUT and checks each answer is
		// problem, returning the bytes the request allocated at most.
		refused := func(t *testing.T, body string, problem api.Problem) uint64 {
			t.Helper()
			var most uint64
			for _, m := range []struct{ method, path string }{{"POST", "/api/v1/catalog/entries"}, {"PUT", entry}} {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				resp, b, err := f.send(t, m.method, m.path, "", body, admin...)
				runtime.ReadMemStats(&after)
				if err != nil {
					t.Fatal(err)
				}
				var got api.Problem
				if err := json.Unmarshal(b, &got); err != nil || resp.StatusCode != problem.Status || got != problem {
					t.Errorf("%s of %d bytes: %d %s, want %+v", m.method, len(body), resp.StatusCode, b, problem)
				}
				most = max(most, after.TotalAlloc-before.TotalAlloc)
			}
			return most
		}

		n := (api.MaxEntryBody - 64) / 3
		body := manyItems(`{"name":"x",`, "items", n, `}`)
		over := catalog.Resource{Name: "x", Items: make([]catalog.Item, catalog.MaxItems+1)}
		a := refused(t, body, want(t, over))
		t.Logf("a body of %d empty items (%d bytes): %d MiB allocated", n, len(body), a>>20)
		if a > 10*uint64(len(body)) {
			t.Errorf("a body of %d empty items (%d bytes) allocated %d MiB, want at most 10 times the body", n, len(body), a>>20)
		}
		for _, c := range []struct {
			name, body string
			res        catalog.Resource
		}{
			{"items at the end", manyItems(`{"name":"x","abstract":"y",`, "items", catalog.MaxItems+1, `}`), over},
			{"key in another case", manyItems(`{"name":"x",`, "ITEMS", n, `}`), over},
			{"byte order mark", manyItems("\ufeff{", "items", n, `}`), over},
			{"unknown fields", manyItems(`{"nom":"x",`, "items", n, `,"colour":"红"}`), over},
			{"service items", manyItems(`{`, "service_items", catalog.MaxServiceItems+1, `}`),
				catalog.Resource{ServiceItems: make([]catalog.ServiceItem, catalog.MaxServiceItems+1)}},
			{"related codes", `{"related_codes":["1"` + strings.Repeat(`,"1"`, (api.MaxEntryBody-64)/4) + `]}`,
				catalog.Resource{RelatedCodes: make([]string, catalog.MaxRelatedCodes+1)}},
			{"items after related codes", `{"related_codes":["1"` + strings.Repeat(`,"1"`, catalog.MaxRelatedCodes) + `],` +
				manyItems(``, "items", catalog.MaxItems+1, `}`),
				catalog.Resource{Items: make([]catalog.Item, catalog.MaxItems+1), RelatedCodes: make([]string, catalog.MaxRelatedCodes+1)}},
		} {
			t.Run(c.name, func(t *testing.T) {
				if a := refused(t, c.body, want(t, c.res)); a > 10*uint64(max(len(c.body), 1<<20)) {
					t.Errorf("%d bytes allocated %d MiB, want at most 10 times the body", len(c.body), a>>20)
				}
			})
		}

		for _, c := range []struct{ name, body string }{
			{"syntax error after the items", manyItems(`{"name":"x",`, "items", n, `,}`)},
			{"cut short", manyItems(`{"name":"x",`, "items", n, ``)},
			{"trailing value", manyItems(`{"name":"x",`, "items", n, `} {}`)},
		} {
			t.Run(c.name, func(t *testing.T) {
				for _, m := range []struct{ method, path string }{{"POST", "/api/v1/catalog/entries"}, {"PUT", entry}} {
					r := f.do(t, m.method, m.path, "", c.body, admin...)
					if r.status != 400 || r.body["code"] != "malformed_json" {
						t.Errorf("%s: %d %v, want 400 malformed_json", m.method, r.status, r.body)
					}
				}
			})
		}
		large := manyItems(`{"name":"x",`, "items", api.MaxEntryBody/3+1, `}`)
		for _, m := range []struct{ method, path string }{{"POST", "/api/v1/catalog/entries"}, {"PUT", entry}} {
			if r := f.do(t, m.method, m.path, "", large, admin...); r.status != 413 || r.body["code"] != "body_too_large" {
				t.Errorf("%s of %d bytes: %d %v, want 413 body_too_large", m.method, len(large), r.status, r.body)
			}
		}
	})
}
