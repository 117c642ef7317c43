package api_test

import (
	"bytes"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUploadTempFilesRemoved: a multipart upload by a session without the
// CSRF header has its form read by the CSRF check, and a file larger than
// the in-memory limit (32 MiB) spills into a multipart-* temporary file;
// the upload routes remove it once answered, whether the token in the form
// was right or wrong.
func TestUploadTempFilesRemoved(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		r := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"mz.admin","password":"`+password+`"}`)
		if r.status != 200 {
			t.Fatalf("login: got %d %v", r.status, r.body)
		}
		var cookie string
		for _, c := range strings.Split(r.header.Get("Set-Cookie"), ";") {
			if strings.HasPrefix(c, auth.SessionCookie+"=") {
				cookie = c
			}
		}
		csrf, _ := r.body["csrf_token"].(string)
		// Set after the database is made, so that only the uploads use it.
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		for _, path := range []string{"/api/v1/catalog/import", "/api/v1/records/entries/1/batches"} {
			for _, tok := range []string{csrf, "wrong"} {
				var body bytes.Buffer
				mw := multipart.NewWriter(&body)
				mw.WriteField(auth.CSRFField, tok)
				fw, err := mw.CreateFormFile("file", "big.csv")
				if err != nil {
					t.Fatal(err)
				}
				fw.Write(bytes.Repeat([]byte("x"), 33<<20))
				mw.Close()
				r := f.do(t, "POST", path, "", body.String(), "Cookie", cookie, "Content-Type", mw.FormDataContentType())
				if r.status < 400 {
					t.Errorf("%s (token %s): got %d, want a refusal", path, tok, r.status)
				}
				files, err := filepath.Glob(filepath.Join(tmp, "multipart-*"))
				if err != nil {
					t.Fatal(err)
				}
				if len(files) > 0 {
					t.Errorf("%s (token %s): %d multipart temporary file(s) left in TMPDIR", path, tok, len(files))
					for _, name := range files {
						os.Remove(name)
					}
				}
			}
		}
	})
}
