package catalogio_test

import (
	"mime"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
)

// TestAttachment: a download's Content-Disposition names a non-ASCII file
// by filename* and, before it, by the plain ASCII name given, for clients
// that read no filename* (RFC 6266 §4.3); an ASCII name, with a space or
// a quote too, is its filename alone, never twice. Each parses back to the
// name (mime.ParseMediaType prefers filename*).
func TestAttachment(t *testing.T) {
	for _, c := range []struct{ name, ascii, want string }{
		{"数据资源目录-20261206.csv", "catalog-20261206.csv",
			`attachment; filename="catalog-20261206.csv"; filename*=utf-8''%E6%95%B0%E6%8D%AE%E8%B5%84%E6%BA%90%E7%9B%AE%E5%BD%95-20261206.csv`},
		{"导入报告-目录=2026:@.csv", "import-report.csv",
			`attachment; filename="import-report.csv"; filename*=utf-8''%E5%AF%BC%E5%85%A5%E6%8A%A5%E5%91%8A-%E7%9B%AE%E5%BD%95%3D2026%3A%40.csv`},
		{"catalog.xlsx", "catalog.xlsx", `attachment; filename=catalog.xlsx`},
		{`my "list".csv`, "list.csv", `attachment; filename="my \"list\".csv"`},
	} {
		got := catalogio.Attachment(c.name, c.ascii)
		if got != c.want {
			t.Errorf("Attachment(%q, %q) = %s, want %s", c.name, c.ascii, got, c.want)
		}
		if _, params, err := mime.ParseMediaType(got); err != nil || params["filename"] != c.name {
			t.Errorf("%s parses as %q (%v), want %q", got, params["filename"], err, c.name)
		}
	}
}
