package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUploadAfterSessionExpiredKeepsNext: an upload posted without a
// session (it expired while the clerk chose the file) is sent to the
// login page with next naming the form's page, the page the form was on
// (its Referer, the entry of ?entry= kept) or else the POST's own path
// when it is a page, where it was sent to /login alone and the clerk
// landed on the home page; logging in then returns to that page. A
// Referer of another site, and a POST whose path is no page, name none.
// Each says ended=1: the upload itself was lost (TestFormAfterSessionEnded).
// On both engines.
func TestUploadAfterSessionExpiredKeepsNext(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		post := func(path, referer string) response {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			mw.WriteField("entry", "101001/000001")
			fw, _ := mw.CreateFormFile("file", "p.jsonl")
			fw.Write([]byte("{}\n"))
			mw.Close()
			req, err := http.NewRequest("POST", f.srv.URL+path, &body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", mw.FormDataContentType())
			if referer != "" {
				req.Header.Set("Referer", referer)
			}
			return c.do(req)
		}
		for _, tt := range []struct{ path, referer, want string }{
			{"/records/upload", f.srv.URL + "/records/upload?entry=7", "/login?ended=1&next=%2Frecords%2Fupload%3Fentry%3D7"},
			{"/records/upload", "", "/login?ended=1&next=%2Frecords%2Fupload"},
			{"/records/upload", "https://evil.example/records/upload?entry=7", "/login?ended=1&next=%2Frecords%2Fupload"},
			{"/records/discrepancies/1/resolve", "", "/login?ended=1"},
			{"/records/discrepancies/1/resolve", f.srv.URL + "/records/discrepancies?status=open", "/login?ended=1&next=%2Frecords%2Fdiscrepancies%3Fstatus%3Dopen"},
		} {
			r := post(tt.path, tt.referer)
			if r.Status != http.StatusSeeOther || r.Location != tt.want {
				t.Errorf("POST %s (Referer %q): got %d to %q, want 303 to %q", tt.path, tt.referer, r.Status, r.Location, tt.want)
			}
		}
		r := c.get("/login?next=" + url.QueryEscape("/records/upload?entry=7"))
		wantBody(t, "login page", r, `name="next" value="/records/upload?entry=7"`)
		r = c.post("/login", url.Values{"username": {"police.admin"}, "password": {password}, "next": {"/records/upload?entry=7"}})
		if r.Status != http.StatusSeeOther || r.Location != "/records/upload?entry=7" {
			t.Errorf("login: got %d to %q, want 303 to /records/upload?entry=7", r.Status, r.Location)
		}
	})
}
