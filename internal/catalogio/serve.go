package catalogio

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"os"
	"strings"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/reqlog"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// ServeExport answers r with the catalog exported in format f (Export) as
// a file to download named name, or ascii by a client that reads no
// non-ASCII name (Attachment), for the API's and the console's 导出.
// Export reads the catalog in one snapshot into a temporary file (XLSX:
// excelize's workbook), then writes it once the snapshot's transaction has
// ended, its headers with its first bytes: an error reading the catalog
// comes before them and is returned, to be answered as any error; one after
// them is the client's connection or the temporary file's. A client gone
// ends the answer quietly, logged as gone (reqlog's client_left, with the
// error); otherwise the answer, begun, is cut by a panic (the server's
// recovery cuts the connection and logs the request as aborted), so that
// the client sees the download fail rather than take its first part for
// the whole file. A write past the connection's deadline is the server's
// failure, not the client's leaving, although net/http ends the request's
// context for it as for a client gone: it was logged as a 200 the client
// never got. An authenticated caller gets auth.LongRequest to be answered,
// from the start of the export: a whole catalog takes minutes.
func ServeExport(w http.ResponseWriter, r *http.Request, db *sqldb.DB, by catalog.Actor, f Format, opt ExportOptions, name, ascii string) error {
	if err := auth.ExtendDeadlines(w, r); err != nil {
		return fmt.Errorf("catalog export: extend deadlines: %w", err)
	}
	out := &download{w: w, contentType: f.ContentType(), disposition: Attachment(name, ascii)}
	if _, err := Export(r.Context(), db, by, out, f, opt); err != nil {
		if !out.started {
			return err
		}
		if reqlog.ClientLeft(r) && !errors.Is(err, os.ErrDeadlineExceeded) {
			reqlog.From(r.Context()).Left(err)
			return nil // the client went away: no one is left to tell
		}
		panic(fmt.Errorf("catalog export failed after %d bytes were sent: %w", out.n, err))
	}
	out.begin()
	return nil
}

// download is a file answered as it is written: the first Write sends the
// headers (200, the content type, the file name: disposition), so that
// ServeExport knows whether an error may still be answered (started).
type download struct {
	w                        http.ResponseWriter
	contentType, disposition string
	started                  bool
	n                        int64
}

func (d *download) begin() {
	if d.started {
		return
	}
	d.started = true
	h := d.w.Header()
	h.Set("Content-Type", d.contentType)
	h.Set("Content-Disposition", d.disposition)
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

// Attachment is the Content-Disposition of a file to download named name.
// A name of printable ASCII only is its filename, as it is; another
// (数据资源目录-20261206.csv) is its filename* (RFC 5987: UTF-8,
// percent-encoded), after a filename of ascii (catalog-20261206.csv): the
// name a client that reads no filename* (curl -OJ, older browsers) saves
// the file as (RFC 6266 §4.3), rather than one of its own ("export").
// ascii is a file name of ASCII letters, digits, '.', '-' and '_'.
func Attachment(name, ascii string) string {
	v := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if printableASCII(name) {
		return v
	}
	// FormatMediaType writes such a name as filename* alone.
	return `attachment; filename="` + ascii + `"` + strings.TrimPrefix(v, "attachment")
}

// printableASCII reports whether s is printable ASCII (or tabs) only,
// which mime.FormatMediaType writes as a filename, not a filename*.
func printableASCII(s string) bool {
	for _, c := range []byte(s) {
		if (c < ' ' || c > '~') && c != '\t' {
			return false
		}
	}
	return true
}
