package catalogio

import (
	"fmt"
	"mime"
	"net/http"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// ServeExport answers r with the catalog exported in format f (Export) as
// a file to download named name, for the API's and the console's 导出.
// Export reads the catalog in one snapshot into a temporary file (XLSX:
// excelize's workbook), then writes it once the snapshot's transaction has
// ended, its headers with its first bytes: an error reading the catalog
// comes before them and is returned, to be answered as any error; one after
// them is the client's connection or the temporary file's. A client gone
// ends the answer quietly; otherwise the answer, begun, is cut by a panic
// (the server's recovery cuts the connection), so that the client sees the
// download fail rather than take its first part for the whole file.
func ServeExport(w http.ResponseWriter, r *http.Request, db *sqldb.DB, by catalog.Actor, f Format, opt ExportOptions, name string) error {
	out := &download{w: w, contentType: f.ContentType(), name: name}
	if _, err := Export(r.Context(), db, by, out, f, opt); err != nil {
		if !out.started {
			return err
		}
		if r.Context().Err() != nil {
			return nil // the client went away: no one is left to tell
		}
		panic(fmt.Errorf("catalog export failed after %d bytes were sent: %w", out.n, err))
	}
	out.begin()
	return nil
}

// download is a file answered as it is written: the first Write sends the
// headers (200, the content type, the file name), so that ServeExport
// knows whether an error may still be answered (started).
type download struct {
	w                 http.ResponseWriter
	contentType, name string
	started           bool
	n                 int64
}

func (d *download) begin() {
	if d.started {
		return
	}
	d.started = true
	h := d.w.Header()
	h.Set("Content-Type", d.contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.name}))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	d.w.WriteHeader(http.StatusOK)
}

func (d *download) Write(p []byte) (int, error) {
	d.begin()
	n, err := d.w.Write(p)
	d.n += int64(n)
	return n, err
}
