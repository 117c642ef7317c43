package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/web"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

func newServer(t *testing.T, db *sqldb.DB) *httptest.Server {
	t.Helper()
	_, ts := serveLogging(t, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return ts
}

// serveLogging serves a server of db logging to log, closed when the test
// ends, and answers it and its test server.
func serveLogging(t *testing.T, db *sqldb.DB, log *slog.Logger) (*server.Server, *httptest.Server) {
	t.Helper()
	s, err := server.New(server.Config{DB: db, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

func TestHealthAndLimits(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newServer(t, db)
		for _, path := range []string{"/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"} {
			resp, err := http.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("%s: got %d, want 200", path, resp.StatusCode)
			}
			if resp.Header.Get("X-Request-ID") == "" {
				t.Errorf("%s: no X-Request-ID", path)
			}
		}

		big := strings.NewReader(`{"username":"` + strings.Repeat("x", api.MaxJSONBody) + `"}`)
		resp, err := http.Post(ts.URL+"/api/v1/auth/login", "application/json", big)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "body_too_large") {
			t.Errorf("oversized body: got %d %s, want 413 body_too_large", resp.StatusCode, body)
		}

		// A request a browser sends from another site is refused before any
		// handler: the API says so in a problem document, the console in a page.
		for path, want := range map[string]string{"/api/v1/auth/login": "application/problem+json",
			"/login": "text/html; charset=utf-8"} {
			req, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(`{}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			resp, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Content-Type") != want ||
				!strings.Contains(string(body), "cross_origin_refused") || !strings.Contains(string(body), "跨站请求被拒绝") {
				t.Errorf("cross-site POST %s: got %d %s %s, want 403 %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), body, want)
			}
		}
	})
}

func TestReadyzFailsWithoutDatabase(t *testing.T) {
	db := sqldbtest.SQLite(t)
	ts := newServer(t, db)
	db.Close()
	resp, err := http.Get(ts.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz with closed database: got %d, want 503", resp.StatusCode)
	}
}

// TestStreamedImport: through the whole middleware, a console import that
// asks for JSON lines gets each progress line as it is written (nothing
// buffers it), and an upload slower than the server's read and write
// timeouts still gets its answer; so does a batch of records pushed
// through the API.
func TestStreamedImport(t *testing.T) {
	db := sqldbtest.SQLite(t)
	ctx := context.Background()
	dept, _ := seedConsole(t, db)
	s, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	// Log in without the short timeouts: the password hash alone can take
	// longer than 300 ms on a loaded machine. The session cookie holds on
	// both servers (same host, same database; cookies ignore the port).
	login := httptest.NewServer(s)
	defer login.Close()
	c, csrf := consoleLogin(t, login.URL, "editor")
	ts := httptest.NewUnstartedServer(s)
	ts.Config.ReadTimeout, ts.Config.WriteTimeout = 300*time.Millisecond, 300*time.Millisecond
	ts.Start()
	defer ts.Close()

	const n = 1000
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", csrf)
	fw, _ := mw.CreateFormFile("file", "big.csv")
	fw.Write([]byte("资源名称,摘要,资源分类(类),项代码,项名称,目代码,目名称,资源格式,共享类型,共享方式,共享范围,开放属性,更新周期,安全级别,网络环境,所属领域,数据主体,信息项名称,数据类型,长度\n"))
	for i := range n {
		fmt.Fprintf(fw, "批量资源%05d,批量导入,部门信息资源,01,综合,001,登记,电子表格,无条件共享,信息查询接口,全区,不予开放,每年,1,政务外网,公共安全,不涉及,编号,C,20\n", i)
	}
	mw.Close()
	req, err := http.NewRequest("POST", ts.URL+"/catalog/import", slowly(body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(body.Len())
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/x-ndjson")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/x-ndjson; charset=utf-8" {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("got %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	entries := func() int {
		var k int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM catalog_entries`).Scan(&k); err != nil {
			t.Fatal(err)
		}
		return k
	}
	br := bufio.NewReader(resp.Body)
	first, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(first, `{"done":`) {
		t.Fatalf("first line %q, %v: want progress", first, err)
	}
	if k := entries(); k != 0 {
		t.Errorf("entries committed when the first progress line arrived: %d, want 0", k)
	}
	rest, err := io.ReadAll(br)
	if err != nil {
		t.Fatalf("read the rest: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(rest)), "\n")
	var res struct {
		Status int    `json:"status"`
		HTML   string `json:"html"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil || res.Status != http.StatusOK ||
		!strings.Contains(res.HTML, fmt.Sprintf("新增 %d 个", n)) {
		t.Errorf("result line %.300q: %v", lines[len(lines)-1], err)
	}
	if k := entries(); k != n {
		t.Errorf("entries after the import: %d, want %d", k, n)
	}

	// A records upload, as slow, gets its answer too (here: the entry does
	// not exist, found once the whole form has been read).
	body.Reset()
	mw = multipart.NewWriter(&body)
	mw.WriteField("csrf_token", csrf)
	mw.WriteField("entry", "999999")
	fw, _ = mw.CreateFormFile("file", "ops.jsonl")
	fw.Write(bytes.Repeat([]byte(`{"op":"add","subject_id":"x","values":{}}`+"\n"), 2000))
	mw.Close()
	req, _ = http.NewRequest("POST", ts.URL+"/records/upload", slowly(body.Bytes()))
	req.ContentLength = int64(body.Len())
	req.Header.Set("Content-Type", mw.FormDataContentType())
	up, err := c.Do(req)
	if err != nil {
		t.Fatalf("slow records upload: %v", err)
	}
	up.Body.Close()
	if up.StatusCode < 400 || up.StatusCode >= 500 {
		t.Errorf("slow records upload to a missing entry: status %d, want 4xx", up.StatusCode)
	}

	// A batch of records through the API, as slow, is stored and answered.
	entry := recordstest.Entry(t, db, dept, recordstest.Spec{Code: "101001/000001", Name: "户籍人口信息", SubjectKind: "person",
		Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 10}}})
	body.Reset()
	for i := range n {
		fmt.Fprintf(&body, `{"op":"add","subject_id":%q,"produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张%d"}}`+"\n",
			recordstest.CitizenID(i), i)
	}
	req, _ = http.NewRequest("POST", fmt.Sprintf("%s/api/v1/records/entries/%d/batches", ts.URL, entry), slowly(body.Bytes()))
	req.ContentLength = int64(body.Len())
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.Header.Set("X-CSRF-Token", csrf)
	batch, err := c.Do(req)
	if err != nil {
		t.Fatalf("slow API batch: %v", err)
	}
	answer, _ := io.ReadAll(batch.Body)
	batch.Body.Close()
	if batch.StatusCode != http.StatusCreated || !strings.Contains(string(answer), fmt.Sprintf(`"applied":%d`, n)) {
		t.Errorf("slow API batch: got %d %s, want 201 with %d applied", batch.StatusCode, answer, n)
	}
}

// seedConsole creates a department with a department administrator
// ("editor") and an app with scope catalog.read, whose key it returns.
func seedConsole(t *testing.T, db *sqldb.DB) (dept int64, readKey string) {
	t.Helper()
	ctx := context.Background()
	sys := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		if err := org.CreateRegion(ctx, tx, sys, &org.Region{Code: "440000", Name: "广东省", Level: org.Province}, time.Now()); err != nil {
			return err
		}
		code, err := ident.MakeUSCC("11440000", "00734567")
		if err != nil {
			return err
		}
		d := org.Department{Name: "广东省公安厅", USCC: code, RegionCode: "440000"}
		if err := org.CreateDepartment(ctx, tx, sys, &d, time.Now()); err != nil {
			return err
		}
		dept = d.ID
		if _, err = orgtest.CreateUser(ctx, tx, sys, org.NewUser{Username: "editor", DisplayName: "李编制", DepartmentID: d.ID,
			Role: org.DeptAdmin, Password: "Hutong-Test-2026"}, time.Now()); err != nil {
			return err
		}
		_, readKey, err = org.CreateApp(ctx, tx, sys, org.NewApp{Name: "查询", DepartmentID: d.ID, Scopes: []string{"catalog.read"}}, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return dept, readKey
}

// consoleLogin logs username (of password Hutong-Test-2026) in to the
// console at base and returns the client holding the session and the
// page's CSRF token.
func consoleLogin(t *testing.T, base, username string) (*http.Client, string) {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(base+"/login", url.Values{"username": {username}, "password": {"Hutong-Test-2026"}})
	if err != nil {
		t.Fatal(err)
	}
	home, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(home)
	if m == nil {
		t.Fatalf("login: no CSRF token (status %d)", resp.StatusCode)
	}
	return c, string(m[1])
}

// fetch sends a request of method, with no body, to target by client, with
// auth as its Authorization header unless it is empty, and answers the
// response and its body, read and closed.
func fetch(t *testing.T, client *http.Client, method, target, auth string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, body
}

// slowly returns a reader of b that delivers it in two parts, longer apart
// than the test server's read timeout.
func slowly(b []byte) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		pw.Write(b[:len(b)/2])
		time.Sleep(500 * time.Millisecond)
		pw.Write(b[len(b)/2:])
		pw.Close()
	}()
	return pr
}

// countingBody counts the bytes the server reads of a request body.
type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// endless is a body that a client streams (chunked) without end: its
// prefix, then spaces. The server learns its size only by reading it.
type endless struct{ prefix io.Reader }

func (e endless) Read(p []byte) (int, error) {
	if n, _ := e.prefix.Read(p); n > 0 {
		return n, nil
	}
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// TestBodyLimits: a body is bounded by its route, whatever the client's
// Content-Type says, and refused before it is read when its type or
// declared length is wrong: an Idempotency-Key does not make the server
// buffer an upload-sized body on a JSON route. The console and the API
// take uploads of one size.
func TestBodyLimits(t *testing.T) {
	if web.MaxUploadBody != api.MaxUploadBody {
		t.Errorf("console upload limit %d, the API's %d", web.MaxUploadBody, api.MaxUploadBody)
	}
	db := sqldbtest.SQLite(t)
	_, key := seedConsole(t, db)
	s, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var read atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = countingBody{r.Body, &read}
		s.ServeHTTP(w, r)
	}))
	defer ts.Close()
	c, csrf := consoleLogin(t, ts.URL, "editor")

	const big = 64 << 20
	send := func(path, ctype string, body io.Reader, length int64, hdr ...string) (int, string) {
		t.Helper()
		read.Store(0)
		req, err := http.NewRequest("POST", ts.URL+path, body)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = length
		req.Header.Set("Content-Type", ctype)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(b)
	}
	auth := []string{"Authorization", "Bearer " + key, "Idempotency-Key", "k-1"}
	app := func() io.Reader { return endless{strings.NewReader(`{"name":"x","scopes":["catalog.read"]`)} }
	tests := []struct {
		name, path, ctype string
		body              io.Reader
		length            int64
		hdr               []string
		status            int
		code              string
		maxRead           int64
	}{
		{"JSON route, octet-stream", "/api/v1/apps", "application/octet-stream", app(), -1, auth, 400, "unsupported_media_type", 0},
		{"JSON route, declared too long", "/api/v1/apps", "application/json", io.LimitReader(app(), big), big, auth, 413, "body_too_large", 0},
		{"JSON route, streamed too long", "/api/v1/apps", "application/json", app(), -1, auth, 413, "body_too_large", api.MaxJSONBody + 1},
		{"console form as multipart", "/login", "multipart/form-data; boundary=b", endless{strings.NewReader("--b\r\n" +
			`Content-Disposition: form-data; name="username"` + "\r\n\r\n")}, -1, nil, 0, "", web.MaxFormBody + 1},
	}
	for _, tt := range tests {
		status, body := send(tt.path, tt.ctype, tt.body, tt.length, tt.hdr...)
		if tt.status != 0 && (status != tt.status || !strings.Contains(body, `"code":"`+tt.code+`"`)) {
			t.Errorf("%s: got %d %.200s, want %d %s", tt.name, status, body, tt.status, tt.code)
		}
		if n := read.Load(); n > tt.maxRead {
			t.Errorf("%s: the server read %d bytes of the body, want at most %d", tt.name, n, tt.maxRead)
		}
	}

	// A console upload route takes more than a form.
	var upload bytes.Buffer
	mw := multipart.NewWriter(&upload)
	mw.WriteField("csrf_token", csrf)
	mw.WriteField("entry", "999999")
	fw, _ := mw.CreateFormFile("file", "ops.jsonl")
	fw.Write(bytes.Repeat([]byte(`{"op":"add","subject_id":"x","values":{}}`+"\n"), 2*web.MaxFormBody/40))
	mw.Close()
	size := int64(upload.Len())
	if status, body := send("/records/upload", mw.FormDataContentType(), &upload, size); status == http.StatusRequestEntityTooLarge {
		t.Errorf("console upload of %d bytes: got %d %.200s", size, status, body)
	}
	if n := read.Load(); n != size {
		t.Errorf("console upload: the server read %d bytes of %d", n, size)
	}
}

// TestReadyzRefusesNewerSchema: a release newer than the server migrates
// the database behind its back (a rolling upgrade on a shared PostgreSQL):
// /readyz answers 503 naming the migrations the server does not know, so
// that the load balancer takes it out, and 200 again once they are gone.
func TestReadyzRefusesNewerSchema(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newServer(t, db)
		readyz := func() (int, string) {
			t.Helper()
			resp, err := http.Get(ts.URL + "/readyz")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(body)
		}
		if code, body := readyz(); code != 200 {
			t.Fatalf("readyz before: %d %s", code, body)
		}
		for _, name := range []string{"9998_later.sql", "9999_latest.sql"} {
			if _, err := db.Write().ExecContext(t.Context(), `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`,
				name, time.Now().UTC()); err != nil {
				t.Fatal(err)
			}
		}
		code, body := readyz()
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "newer") ||
			!strings.Contains(body, "9998_later.sql, 9999_latest.sql") {
			t.Errorf("readyz with a newer schema: got %d %q, want 503 naming 9998_later.sql, 9999_latest.sql", code, body)
		}
		if _, err := db.Write().ExecContext(t.Context(), `DELETE FROM schema_migrations WHERE name LIKE '999%'`); err != nil {
			t.Fatal(err)
		}
		if code, body := readyz(); code != 200 {
			t.Errorf("readyz once the newer migrations are gone: %d %s", code, body)
		}
	})
}
