package web_test

import (
	"mime"
	"net/http"
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// asciiFilename is a Content-Disposition's filename parameter, quoted,
// before its filename*: the name a client that reads no filename*
// (curl -OJ, older browsers) saves the file as (RFC 6266 §4.3).
var asciiFilename = regexp.MustCompile(`^attachment; filename="([A-Za-z0-9._-]+)"; filename\*=`)

// TestDownloadFileNames: the console's downloads (the catalog's export, an
// import's whole report) name their file twice: in Chinese (filename*,
// what mime.ParseMediaType and browsers take) and, before it, by a plain
// ASCII file name of the same kind of file, not left for the client to
// make up ("export"). On both engines.
func TestDownloadFileNames(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		createEntry(t, c, entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no"))

		export := c.get("/catalog/export?format=csv")
		wantStatus(t, "export", export, http.StatusOK)
		report := c.upload("/catalog/import", tok, "目录.csv", []byte(export.Body), "dry_run", "yes", "report", "csv")
		wantStatus(t, "report", report, http.StatusOK)
		for _, d := range []struct {
			what        string
			r           response
			name, ascii string
		}{
			{"export", export, "数据资源目录-20261001.csv", "catalog-20261001.csv"},
			{"report", report, "导入报告-目录.csv", "import-report.csv"},
		} {
			cd := d.r.Header.Get("Content-Disposition")
			if m := asciiFilename.FindStringSubmatch(cd); m == nil || m[1] != d.ascii {
				t.Errorf("%s: Content-Disposition %q, want filename=%q before filename*", d.what, cd, d.ascii)
			}
			if _, params, err := mime.ParseMediaType(cd); err != nil || params["filename"] != d.name {
				t.Errorf("%s: Content-Disposition %q names %q (%v), want %q", d.what, cd, params["filename"], err, d.name)
			}
		}
	})
}
