package api_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportUploadReadOnce: the file of an import upload is read into one
// buffer of the request's length, where io.ReadAll grew its buffer by
// copying (and the import copied the file again): an 8 MB file refused
// once read (its format unknown) had the server allocate some three times
// its size; now little more than once.
func TestImportUploadReadOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		var key string
		if err := db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
			_, key, err = org.CreateApp(context.Background(), tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"},
				org.NewApp{Name: "编目", DepartmentID: f.otherID, Scopes: []string{"catalog.write"}}, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		const size = 8 << 20
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		part, _ := mw.CreateFormFile("file", "catalog.bin")
		part.Write([]byte(strings.Repeat("x", size)))
		mw.Close()
		req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/catalog/import", bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+key)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		resp, err := http.DefaultClient.Do(req)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("got %d, want 400 unknown_format", resp.StatusCode)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > size*3/2 {
			t.Errorf("the server allocated %d MB for a file of %d MB, want at most 1.5 times", n>>20, size>>20)
		}
	})
}
