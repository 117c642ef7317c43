package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/web"
)

// TestFormErrors: a form over the server's body limit, or one that cannot
// be parsed, is reported as such (413, 400), not as a failed CSRF check.
func TestFormErrors(t *testing.T) {
	if web.MaxRecordsFile != server.MaxUploadBody {
		t.Errorf("records upload limit %d, the server's %d", web.MaxRecordsFile, server.MaxUploadBody)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		// The server's limit on a body, made small.
		h := http.MaxBytesHandler(f.h, 1<<20)
		post := func(path, contentType string, body []byte) response {
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
		upload := func(path, name string, size int) response {
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
			return post(path, mw.FormDataContentType(), body.Bytes())
		}
		for _, path := range []string{"/records/upload", "/catalog/import"} {
			r := upload(path, "big.csv", 2<<20)
			wantStatus(t, "oversized "+path, r, http.StatusRequestEntityTooLarge)
			wantBody(t, "oversized "+path, r, "提交内容过大", "提交内容超过 1 MiB 上限")
			wantNoBody(t, "oversized "+path, r, "请求校验失败")
		}
		r := upload("/records/upload", "small.csv", 1<<10)
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
		wantBody(t, "oversized form", r, "提交内容超过 1 MiB 上限")
	})
}
