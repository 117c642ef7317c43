package web_test

import (
	"bufio"
	"context"
	"encoding/json"
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

// TestHalfClosedUploadApplied: a browser or a script that sends its
// whole upload and then half-closes its connection (legal in HTTP/1.1)
// has its records upload and its catalog import (its page, its stream)
// applied and answered as any other: net/http cancels the request's
// context when it reads the FIN, and the work ran under it, failed as
// the client's leaving and was answered "200 OK" with an empty body
// while nothing was stored (until 2026-12-06).
func TestHalfClosedUploadApplied(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		people := peopleEntry(t, f)
		c := f.client(t)
		tok := c.login("police.admin")
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		var jsonl strings.Builder
		for _, n := range []int{2, 3} { // women, as CitizenID's 17th digit says
			jsonl.WriteString(`{"op":"add","subject_id":"` + recordstest.CitizenID(n) + `","produced_at":"` + produced + `","values":{"性别":"女"}}` + "\n")
		}
		req := uploadRequest(t, f.srv.URL+"/records/upload", tok, "people.jsonl", []byte(jsonl.String()), "entry", strconv.FormatInt(people, 10))
		req.Header.Del("Accept")
		status, body := c.halfClosed(req)
		if status != http.StatusOK || !strings.Contains(body, "归集结果") {
			t.Errorf("records upload half-closed: %d, want 200 and the result page:\n%s", status, body)
		}
		var versions int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM record_versions WHERE entry_id = $1`, people).Scan(&versions); err != nil {
			t.Fatal(err)
		}
		if versions != 2 {
			t.Errorf("records upload half-closed: %d versions stored, want 2", versions)
		}

		req = uploadRequest(t, f.srv.URL+"/catalog/import", tok, "page.csv", flatCSV(2))
		req.Header.Del("Accept")
		before := countEntries(t, db)
		status, body = c.halfClosed(req)
		if status != http.StatusOK || !strings.Contains(body, "新增 2 个") {
			t.Errorf("catalog import half-closed: %d, want 200 and the report:\n%s", status, body)
		}
		if n := countEntries(t, db) - before; n != 2 {
			t.Errorf("catalog import half-closed: %d entries stored, want 2", n)
		}

		before = countEntries(t, db)
		status, body = c.halfClosed(uploadRequest(t, f.srv.URL+"/catalog/import", tok, "stream.csv", flatCSV(5)))
		lines := strings.Split(strings.TrimSpace(body), "\n")
		var res progressLine
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil || status != http.StatusOK || res.Status != http.StatusOK ||
			!strings.Contains(res.HTML, "新增 3 个") {
			t.Errorf("streamed catalog import half-closed: %d, want 200 and the report as its last line (%v):\n%s", status, err, body)
		}
		if n := countEntries(t, db) - before; n != 3 {
			t.Errorf("streamed catalog import half-closed: %d entries stored, want 3", n)
		}
	})
}

// TestHalfClosedFormAnswered: every console form is answered after its
// client half-closed its connection once the form was sent whole, not
// only the uploads that read their form whole by hand (above): a login
// and a discrepancy's feedback, each applied and answered as any other.
// They ran under the request's context, which net/http cancels when it
// reads the FIN, and were dropped unanswered with nothing stored (until
// 2026-12-06).
func TestHalfClosedFormAnswered(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		_, did := pushNameDiscrepancy(t, f, recordstest.CitizenID(64))
		ids := strconv.FormatInt(did, 10)
		market := f.client(t)
		form := func(path string, v url.Values) *http.Request {
			t.Helper()
			req, err := http.NewRequest("POST", f.srv.URL+path, strings.NewReader(v.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return req
		}

		status, _ := market.halfClosed(form("/login", url.Values{"username": {"market.admin"}, "password": {password}}))
		if status != http.StatusSeeOther {
			t.Errorf("login half-closed: %d, want 303", status)
		}
		if n := count(t, db, `SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'market.admin'`); n != 1 {
			t.Errorf("login half-closed: %d sessions stored, want 1", n)
		}

		tok := market.login("market.admin")
		tag := feedbackTag(t, did, "opened", market.get("/records/discrepancies?"+checking).Body)
		status, body := market.halfClosed(form("/records/discrepancies/"+ids+"/feedback?"+checking,
			url.Values{"csrf_token": {tok}, "edit_tag": {tag}, "feedback": {"经核实，本局登记有误，将推送更正"}, "disputed": {"false"}}))
		if status != http.StatusSeeOther {
			t.Errorf("feedback half-closed: %d, want 303:\n%s", status, body)
		}
		if n := count(t, db, `SELECT count(*) FROM record_discrepancy_feedback WHERE discrepancy_id = $1`, did); n != 1 {
			t.Errorf("feedback half-closed: %d feedback rows stored, want 1", n)
		}
	})
}

// halfClosed sends req, with c's cookies, whole, then closes the
// connection for writing, and returns the answer's status and body.
func (c *client) halfClosed(req *http.Request) (int, string) {
	c.t.Helper()
	u, err := url.Parse(c.f.srv.URL)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, k := range c.http.Jar.Cookies(u) {
		req.AddCookie(k)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		c.t.Fatal(err)
	}
	defer conn.Close()
	if err := req.Write(conn); err != nil {
		c.t.Fatal(err)
	}
	if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
		c.t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		c.t.Fatalf("%s: no answer: %v", req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
