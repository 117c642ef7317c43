package web_test

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUploadTempFilesRemoved: a file larger than the form's in-memory limit
// (32 MiB) spills into a multipart-* temporary file; every upload route
// removes it once answered, whoever posted it: a caller it serves, a caller
// its role refuses, a forged form, and a form whose token comes in the
// header (the handler, not the CSRF check, reads the form).
func TestUploadTempFilesRemoved(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, auditor := f.client(t), f.client(t)
		adminTok, auditorTok := admin.login("police.admin"), auditor.login("auditor")
		// Set after the database is made, so that only the uploads use it.
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		const size = 33 << 20
		leftover := func(what string) {
			t.Helper()
			files, err := filepath.Glob(filepath.Join(tmp, "multipart-*"))
			if err != nil {
				t.Fatal(err)
			}
			if len(files) > 0 {
				t.Errorf("%s: %d multipart temporary file(s) left in TMPDIR", what, len(files))
				for _, name := range files {
					os.Remove(name)
				}
			}
		}
		post := func(c *client, path, tok, headerTok string, want int) {
			t.Helper()
			ctype, body := uploadForm(t, tok, "big.bin", size)
			req, err := http.NewRequest(http.MethodPost, f.srv.URL+path, bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", ctype)
			if headerTok != "" {
				req.Header.Set(auth.CSRFHeader, headerTok)
			}
			what := path + " " + tok + " " + headerTok
			r := c.do(req)
			wantStatus(t, what, r, want)
			leftover(what)
		}
		for _, path := range []string{"/catalog/import", "/catalog/import-mappings/new", "/records/upload"} {
			post(admin, path, adminTok, "", http.StatusUnprocessableEntity)
			post(admin, path, "", adminTok, http.StatusUnprocessableEntity)
			post(admin, path, "wrong", "", http.StatusForbidden)
			post(auditor, path, auditorTok, "", http.StatusForbidden)
			post(auditor, path, "", auditorTok, http.StatusForbidden)
		}
	})
}
