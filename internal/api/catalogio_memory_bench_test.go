package api_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalogio/catalogiotest"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// BenchmarkImportUpload20000 uploads a generated CSV of 20,000 entries
// (one data item each, some 500 bytes a row as the audit's 98.8 MB file of
// 200,000) to POST /api/v1/catalog/import as a multipart form, a dry run,
// into a fresh SQLite database, and reports the peak heap while the
// request ran (sampled every millisecond) and the bytes allocated.
func BenchmarkImportUpload20000(b *testing.B) {
	csv := catalogiotest.GeneratedCSV(20000)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("file", "catalog.csv")
	part.Write(csv)
	mw.Close()
	form := body.Bytes()
	b.SetBytes(int64(len(csv)))
	for b.Loop() {
		b.StopTimer()
		db := sqldbtest.SQLite(b)
		f := newFixture(b, db)
		var key string
		if err := db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
			_, key, err = org.CreateApp(context.Background(), tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"},
				org.NewApp{Name: "编目", DepartmentID: f.otherID, Scopes: []string{"catalog.read", "catalog.write"}}, t0)
			return err
		}); err != nil {
			b.Fatal(err)
		}
		req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/catalog/import?dry_run=true", bytes.NewReader(form))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+key)
		b.StartTimer()
		var resp *http.Response
		var err error
		catalogiotest.ReportPeakHeap(b, func() {
			if resp, err = http.DefaultClient.Do(req); err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("got %v %v", resp, err)
		}
	}
}
