package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBodyIncomplete: a client that stops sending its body before the
// Content-Length it announced (its connection closed for writing) is
// refused 400 body_incomplete, as a single operation cut short is a 400,
// not failed as the server's 500 "unexpected EOF": a batch (spooled before
// it is ingested) and a catalog import.
func TestBodyIncomplete(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		for _, c := range []struct{ path, key, contentType, part string }{
			{"/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10) + "/batches", rf.gaKey, "application/x-ndjson",
				`{"op":"add","subject":"11010519491231002X"}` + "\n" + `{"op":"a`},
			{"/api/v1/catalog/import?format=csv", catalogKey(t, rf.fixture), "text/csv", "名称,摘要\n人口,"},
		} {
			status, body := cutBody(t, rf.srv.URL, c.path, c.key, c.contentType, c.part)
			if status != http.StatusBadRequest || body["code"] != "body_incomplete" || body["detail"] == "" {
				t.Errorf("%s cut short: %d %v, want 400 body_incomplete", c.path, status, body)
			}
		}
	})
}

// cutBody posts part of a body announced 10 times longer, then closes
// the connection for writing, and returns the answer's status and problem.
func cutBody(t *testing.T, base, path, key, contentType, part string) (int, map[string]any) {
	t.Helper()
	status, b := sendCloseWrite(t, "POST", base, path, key, contentType, "", 10*len(part), part)
	var p map[string]any
	json.Unmarshal(b, &p)
	return status, p
}
