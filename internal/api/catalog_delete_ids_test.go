package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogDeletedIDNotGivenAgain: a draft created with an
// Idempotency-Key and deleted leaves its id to no other entry: the next
// draft created takes a new id, the first key's replay answers the
// deleted draft as it was created, and its id is not found, not the other
// draft. On both engines (SQLite gave the id again before migration 0050).
func TestCatalogDeletedIDNotGivenAgain(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		first := append([]string{"Idempotency-Key", "reuse-1"}, admin...)
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, first...)
		if r.status != 201 {
			t.Fatalf("create: got %d %v", r.status, r.body)
		}
		id := jsonNumber(r.body["id"])
		if d := f.do(t, "DELETE", "/api/v1/catalog/entries/"+id, "", "", append([]string{"If-Match", "*"}, admin...)...); d.status != 204 {
			t.Fatalf("delete: got %d %v", d.status, d.body)
		}
		other := strings.Replace(marriageEntry, `"name":"婚姻登记信息"`, `"name":"收养登记信息"`, 1)
		if other == marriageEntry {
			t.Fatal("the second draft's body is the first's (the test needs another name)")
		}
		r = f.do(t, "POST", "/api/v1/catalog/entries", "", other, append([]string{"Idempotency-Key", "reuse-2"}, admin...)...)
		if r.status != 201 || jsonNumber(r.body["id"]) == id {
			t.Fatalf("create after the deletion of %s: got %d id %v, want 201 and a new id", id, r.status, r.body["id"])
		}
		again := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, first...)
		if again.status != 201 || again.header.Get("Idempotent-Replayed") != "true" || jsonNumber(again.body["id"]) != id ||
			again.body["name"] != "婚姻登记信息" {
			t.Errorf("replay of the first key: got %d (replayed %q) id %v %v, want the deleted draft %s as created",
				again.status, again.header.Get("Idempotent-Replayed"), again.body["id"], again.body["name"], id)
		}
		if g := f.do(t, "GET", "/api/v1/catalog/entries/"+id, "", "", admin...); g.status != 404 {
			t.Errorf("get the deleted draft %s: got %d %v, want 404", id, g.status, g.body["name"])
		}
	})
}
