package api_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestHalfClosedRequestApplied: a client that sends its whole request
// and then half-closes its connection (shutdown(SHUT_WR), nc -N, a relay
// passing the FIN on), legal in HTTP/1.1, has its batch (JSON lines,
// CSV), its catalog import and a request to a route that honours
// Idempotency-Key (a region) applied and answered as any other, and a
// single operation refused for its body answered 400: net/http
// cancels the request's context when it reads the FIN, and the work ran
// under it, failed as the client's leaving and was answered "200 OK"
// with an empty body while nothing was stored (until 2026-12-06).
func TestHalfClosedRequestApplied(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		batches := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10) + "/batches"
		produced := beijing(rf.clock.Now().Add(-time.Hour))
		versions := func() int {
			return rf.countWhere(t, `SELECT count(*) FROM record_versions WHERE entry_id = $1`, rf.entryA)
		}
		for i, c := range []struct{ contentType, body string }{
			{"application/x-ndjson", opLine("add", recordstest.CitizenID(2000), produced, map[string]string{"姓名": "张三"}) + "\n" +
				opLine("add", recordstest.CitizenID(2001), produced, map[string]string{"姓名": "李四"}) + "\n"},
			{"text/csv", "op,subject_id,produced_at,姓名\nadd," + recordstest.CitizenID(2002) + "," + produced + ",王五\n" +
				"add," + recordstest.CitizenID(2003) + "," + produced + ",赵六\n"},
		} {
			before := versions()
			status, body := halfClosed(t, rf.srv.URL, batches, rf.gaKey, c.contentType, c.body, "batch-"+strconv.Itoa(i))
			if status != http.StatusCreated || body["applied"] != 2.0 {
				t.Errorf("%s batch half-closed: %d %v, want 201 applied 2", c.contentType, status, body)
			}
			if n := versions() - before; n != 2 {
				t.Errorf("%s batch half-closed: %d versions stored, want 2", c.contentType, n)
			}
		}

		// A single operation refused for its body is answered so.
		status, body := halfClosed(t, rf.srv.URL, "/api/v1/records/entries/"+strconv.FormatInt(rf.entryA, 10)+"/ops", rf.gaKey,
			"application/json", `{"op":"add"`, "")
		if status != http.StatusBadRequest || body["code"] != "malformed_json" {
			t.Errorf("bad operation half-closed: %d %v, want 400 malformed_json", status, body)
		}

		// A route that honours Idempotency-Key reads its body whole first.
		status, body = halfClosed(t, rf.srv.URL, "/api/v1/regions", rf.opKey, "application/json",
			`{"code":"440606","name":"顺德区","level":"district","parent_code":"440000"}`, "region-1")
		if status != http.StatusCreated || body["code"] != "440606" {
			t.Errorf("region half-closed: %d %v, want 201", status, body)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM regions WHERE code = '440606'`); n != 1 {
			t.Errorf("region half-closed: %d regions stored, want 1", n)
		}

		key := catalogKey(t, rf.fixture)
		mapping := `{"name":"民政","columns":{},"defaults":{"数据类型":"C","长度":"18"}}`
		if r := rf.do(t, "POST", "/api/v1/catalog/import-mappings", key, mapping); r.status != 200 {
			t.Fatalf("save mapping: %d %v", r.status, r.body)
		}
		status, body = halfClosed(t, rf.srv.URL, "/api/v1/catalog/import?format=csv&good_only=true&mapping="+url.QueryEscape("民政"), key,
			"text/csv", importCSV, "")
		if status != http.StatusCreated || body["created"] != 1.0 {
			t.Errorf("catalog import half-closed: %d %v, want 201 created 1", status, body)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM catalog_entries WHERE name = '婚姻登记信息'`); n != 1 {
			t.Errorf("catalog import half-closed: %d entries stored, want 1", n)
		}
	})
}

// TestHalfClosedWriteAnswered: every write is answered after its client
// half-closed its connection once its body was sent whole, not only the
// routes that read their body whole by hand (above): a login, an entry's
// PUT and a POST with no body (a submission), each applied and answered
// as any other. They ran under the request's context, which net/http
// cancels when it reads the FIN, and were dropped unanswered, cut short
// mid-way or not applied at all (until 2026-12-06).
func TestHalfClosedWriteAnswered(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		status, body := halfClosedAs(t, "POST", rf.srv.URL, "/api/v1/auth/login", "", `{"username":"mz.admin","password":"`+password+`"}`)
		if status != http.StatusOK || body["csrf_token"] == nil {
			t.Errorf("login half-closed: %d %v, want 200 and a session", status, body)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'mz.admin'`); n != 1 {
			t.Errorf("login half-closed: %d sessions stored, want 1", n)
		}

		key := catalogKey(t, rf.fixture)
		r := rf.do(t, "POST", "/api/v1/catalog/entries", key, marriageEntry)
		if r.status != http.StatusCreated {
			t.Fatalf("create: %d %v", r.status, r.body)
		}
		id := jsonNumber(r.body["id"])
		entry := "/api/v1/catalog/entries/" + id
		status, body = halfClosedAs(t, "PUT", rf.srv.URL, entry, key, strings.Replace(marriageEntry, "婚姻登记信息", "婚姻登记信息（修订）", 1))
		if status != http.StatusOK || body["name"] != "婚姻登记信息（修订）" {
			t.Errorf("PUT half-closed: %d %v, want 200 and the entry renamed", status, body)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM catalog_entries WHERE id = $1 AND name = '婚姻登记信息（修订）'`, id); n != 1 {
			t.Errorf("PUT half-closed: the entry not renamed (%d)", n)
		}

		status, body = halfClosedAs(t, "POST", rf.srv.URL, entry+"/submit", key, "")
		if status != http.StatusOK || body["status"] != "submitted" {
			t.Errorf("submit half-closed: %d %v, want 200 submitted", status, body)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM catalog_entries WHERE id = $1 AND status = 'submitted'`, id); n != 1 {
			t.Errorf("submit half-closed: the entry not submitted (%d)", n)
		}
	})
}

// halfClosedAs sends a JSON request of method with body whole to path with
// key (none when ""), then closes the connection for writing, and returns
// the answer's status and JSON body; an empty answer fails the test.
func halfClosedAs(t *testing.T, method, base, path, key, body string) (int, map[string]any) {
	t.Helper()
	status, b := sendCloseWrite(t, method, base, path, key, "application/json", "", len(body), body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Errorf("%s %s: answer %d %q: %v", method, path, status, b, err)
	}
	return status, m
}

// halfClosed posts body whole to path with key (and the Idempotency-Key
// idem, when not ""), then closes the connection for writing, and
// returns the answer's status and JSON body; a 200 with an empty body
// (what net/http answers a handler that wrote nothing) fails the test.
func halfClosed(t *testing.T, base, path, key, contentType, body, idem string) (int, map[string]any) {
	t.Helper()
	hdr := ""
	if idem != "" {
		hdr = "Idempotency-Key: " + idem + "\r\n"
	}
	status, b := sendCloseWrite(t, "POST", base, path, key, contentType, hdr, len(body), body)
	if len(b) == 0 {
		t.Errorf("%s: answered %d with an empty body", path, status)
		return status, nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Errorf("%s: answer %d %q: %v", path, status, b, err)
	}
	return status, m
}

// sendCloseWrite sends a raw HTTP/1.1 request of method with body to path
// with key (none when ""), the extra header lines hdr (each ending in
// CRLF) and the Content-Length length, then closes the connection for
// writing, and returns the answer's status and body.
func sendCloseWrite(t *testing.T, method, base, path, key, contentType, hdr string, length int, body string) (int, []byte) {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if key != "" {
		hdr = "Authorization: Bearer " + key + "\r\n" + hdr
	}
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\n%sContent-Length: %d\r\n\r\n%s",
		method, path, u.Host, contentType, hdr, length, body)
	if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s: no answer: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}
