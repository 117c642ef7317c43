package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/text"
	"github.com/hutong-gov/hutong/internal/web"
)

// postTo sends body to h with c's cookies, without a network in between.
func postTo(t *testing.T, h http.Handler, c *client, path, contentType string, body []byte) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	for _, ck := range c.http.Jar.Cookies(nil) {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.String()}
}

// uploadForm is a multipart form with the CSRF token tok and a file of size
// bytes called name; it returns the form's Content-Type and body.
func uploadForm(t *testing.T, tok, name string, size int) (string, []byte) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", tok)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(bytes.Repeat([]byte("x"), size))
	mw.Close()
	return mw.FormDataContentType(), body.Bytes()
}

// TestFormErrors: a form over its route's body limit, or one that cannot
// be parsed, is reported as such (413, 400), not as a failed CSRF check.
func TestFormErrors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		r := c.get("/records/upload")
		wantStatus(t, "upload page", r, http.StatusOK)
		wantBody(t, "upload page", r, fmt.Sprintf("文件不超过 %d MB", web.MaxUploadBody>>20))

		// A limit on every body below the upload routes' own, so that an
		// upload exceeds one without sending web.MaxUploadBody bytes.
		h := http.MaxBytesHandler(f.h, 1<<20)
		post := func(path, contentType string, body []byte) response {
			t.Helper()
			return postTo(t, h, c, path, contentType, body)
		}
		upload := func(path, name string, size int) response {
			t.Helper()
			ctype, body := uploadForm(t, tok, name, size)
			return post(path, ctype, body)
		}
		for _, path := range []string{"/records/upload", "/catalog/import"} {
			r := upload(path, "big.csv", 2<<20)
			wantStatus(t, "oversized "+path, r, http.StatusRequestEntityTooLarge)
			wantBody(t, "oversized "+path, r, "提交内容过大", "提交内容超过 1 MB 上限")
			wantNoBody(t, "oversized "+path, r, "请求校验失败")
		}
		r = upload("/records/upload", "small.csv", 1<<10)
		wantStatus(t, "upload within the limit", r, http.StatusUnprocessableEntity)
		wantBody(t, "upload within the limit", r, "请选择数据资源")

		r = post("/records/upload", "multipart/form-data; boundary=x", []byte("csrf_token="+tok))
		wantStatus(t, "malformed multipart", r, http.StatusBadRequest)
		wantBody(t, "malformed multipart", r, "表单格式错误")
		r = post("/records/discrepancies/1/feedback", "application/x-www-form-urlencoded", []byte("csrf_token="+tok+"%zz"))
		wantStatus(t, "malformed form", r, http.StatusBadRequest)
		wantBody(t, "malformed form", r, "表单格式错误")
		wantNoBody(t, "malformed form", r, "请求校验失败")
		r = post("/records/discrepancies/1/feedback", "application/x-www-form-urlencoded", []byte("csrf_token="+strings.Repeat("x", 2<<20)))
		wantStatus(t, "oversized form", r, http.StatusRequestEntityTooLarge)
		wantBody(t, "oversized form", r, "提交内容超过 1 MB 上限")
	})
}

// TestRouteBodyLimits: the console bounds each route's body itself, by the
// route, whatever the Content-Type: a body larger than web.MaxFormBody
// reaches the handler of an upload route, a catalog entry's form refuses
// one larger than web.MaxEntryFormBody, and every other route (a form,
// the login, a page that does not exist) refuses it as too large.
func TestRouteBodyLimits(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		ctype, body := uploadForm(t, tok, "big.bin", web.MaxFormBody+1<<10)
		uploads := []struct{ path, want string }{
			{"/catalog/import", "只能导入 .xlsx、.csv、.txt（Excel 另存的 Unicode 文本）、.jsonl 或 .ndjson 文件：big.bin"},
			{"/catalog/import-mappings/new", "只能读取 .xlsx、.csv 或 .txt（Excel 另存的 Unicode 文本）文件的表头：big.bin"},
			{"/records/upload", "请选择数据资源"},
		}
		for _, u := range uploads {
			r := postTo(t, f.h, c, u.path, ctype, body)
			wantStatus(t, "upload to "+u.path, r, http.StatusUnprocessableEntity)
			wantBody(t, "upload to "+u.path, r, u.want)
		}
		tooLarge := func(paths []string, limit int) {
			ctype, body := uploadForm(t, tok, "big.bin", limit+1<<10)
			for _, path := range paths {
				for _, form := range []struct{ ctype, body string }{
					{ctype, string(body)},
					{"application/x-www-form-urlencoded", "csrf_token=" + tok + "&x=" + strings.Repeat("x", limit)},
				} {
					r := postTo(t, f.h, c, path, form.ctype, []byte(form.body))
					what := fmt.Sprintf("%s as %.33s", path, form.ctype)
					wantStatus(t, what, r, http.StatusRequestEntityTooLarge)
					wantBody(t, what, r, "提交内容超过 "+text.Size(int64(limit))+" 上限")
				}
			}
		}
		tooLarge([]string{"/login", "/logout", "/apps", "/catalog/import-mappings", "/records/discrepancies/1/feedback",
			"/no-such-page"}, web.MaxFormBody)
		tooLarge([]string{"/catalog/new", "/catalog/1/edit"}, web.MaxEntryFormBody)
		// Without a session too: the login reads its form first.
		anon := f.client(t)
		r := postTo(t, f.h, anon, "/login", "application/x-www-form-urlencoded",
			[]byte("username=admin&password="+strings.Repeat("x", web.MaxFormBody)))
		wantStatus(t, "login too large", r, http.StatusRequestEntityTooLarge)
		wantBody(t, "login too large", r, "提交内容超过 1 MB 上限")
		r = postTo(t, f.h, anon, "/login", "application/x-www-form-urlencoded", []byte("username=%zz&password=x"))
		wantStatus(t, "login not a form", r, http.StatusBadRequest)
		wantBody(t, "login not a form", r, "表单格式错误，无法读取提交的内容")
	})
}
