package api_test

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestContentEncodingRefused: a body sent with a Content-Encoding other
// than identity is refused (415 unsupported_content_encoding, naming the
// header) before anything reads it, on every route that takes a body, and
// its operation documents the 415. A gzipped batch is neither read as
// lines nor counted against the entry; identity is accepted.
func TestContentEncodingRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		batches := "/api/v1/records/entries/" + itoa(rf.entryA) + "/batches"
		line := opLine("add", recordstest.CitizenID(6000), beijing(rf.clock.Now()), map[string]string{"姓名": "张三", "登记日期": "2026-03-01"})
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write([]byte(line + "\n"))
		zw.Close()
		ndjson := []string{"Content-Type", "application/x-ndjson"}
		state := func() [3]int {
			return [3]int{rf.countWhere(t, `SELECT count(*) FROM record_batches`), rf.countWhere(t, `SELECT count(*) FROM audit_log`),
				rf.countWhere(t, `SELECT count(*) FROM record_versions`)}
		}
		before := state()
		for _, coding := range []string{"gzip", "GZIP", "br", "identity, gzip"} {
			r := rf.do(t, "POST", batches, rf.gaKey, gz.String(), append(ndjson, "Content-Encoding", coding)...)
			if r.status != 415 || r.body["code"] != "unsupported_content_encoding" || r.body["field"] != "Content-Encoding" ||
				!strings.Contains(r.body["detail"].(string), "Content-Encoding: "+coding) {
				t.Errorf("batch with Content-Encoding %s: got %d %v, want 415 unsupported_content_encoding", coding, r.status, r.body)
			}
		}
		if after := state(); after != before {
			t.Errorf("refused gzipped batches changed batches, audit rows, versions: %v, want %v", after, before)
		}
		q := rf.do(t, "GET", "/api/v1/records/quality?entry_id="+itoa(rf.entryA), rf.opKey, "")
		for _, row := range q.body["quality"].([]any) {
			if n := row.(map[string]any)["rejected_lines"]; n != 0.0 {
				t.Errorf("quality after refused batches: %v rejected lines, want none: %v", n, row)
			}
		}
		if r := rf.do(t, "POST", batches, rf.gaKey, line, append(ndjson, "Content-Encoding", "identity")...); r.status != 201 {
			t.Errorf("batch with Content-Encoding identity: got %d %v, want 201", r.status, r.body)
		}

		doc := openAPIDoc(t)
		a := &api.API{}
		a.Register(http.NewServeMux())
		docPath := map[string]string{}
		for _, rt := range a.Routes() {
			docPath[rt.Method+" "+rt.Path] = rt.DocPath()
		}
		calls := failClosedCalls(t, rf, db)
		before = state()
		for _, c := range calls {
			if c.method != "POST" && c.method != "PUT" {
				continue
			}
			r := rf.do(t, c.method, c.path, c.key, cmp.Or(c.body, "{}"), append(c.hdr, "Content-Encoding", "gzip")...)
			if r.status != 415 || r.body["code"] != "unsupported_content_encoding" {
				t.Errorf("%s %s gzipped: got %d %v, want 415 unsupported_content_encoding", c.method, c.path, r.status, r.body)
				continue
			}
			for _, e := range refusalErrors(t, doc, c.method, docPath[c.route], r) {
				t.Errorf("%s %s (415): %s", c.method, docPath[c.route], e)
			}
		}
		if after := state(); after != before {
			t.Errorf("refused gzipped requests changed batches, audit rows, versions: %v, want %v", after, before)
		}
	})
}
