package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVMarkedUTF8BadByte: a CSV file with a UTF-8 byte order mark is
// UTF-8; one byte that is not (line 3 here) refuses it, invalid_encoding
// naming that line, by the import and by the mapping editor's
// ReadHeaders. Until 2026-12-06 the whole file was read as GB18030: its
// header garbled (璧勬簮鍚嶇О for 资源名称), missing_column.
func TestCSVMarkedUTF8BadByte(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		data := []byte("\ufeff" + csvHeader + good("甲") + strings.Replace(good("乙"), "摘要", "摘\xff要", 1))
		rep, err := importFile(w, w.gaj, data, catalogio.CSV, catalogio.Options{GoodOnly: true})
		if !catalogio.Rejected(err) || len(rep.Errors) != 1 || rep.Errors[0].Code != "invalid_encoding" ||
			!strings.Contains(rep.Errors[0].Message, "第 3 行起不是有效的 UTF-8 编码") {
			t.Errorf("import: %v, errors %v; want import_rejected, invalid_encoding at line 3", err, rep.Errors)
		}
		_, err = catalogio.ReadHeaders(data, catalogio.CSV)
		if e := errs.As(err); e == nil || e.Code != "invalid_encoding" || !strings.Contains(e.Message, "第 3 行") {
			t.Errorf("ReadHeaders: %v, want invalid_encoding at line 3", err)
		}
		if n := resourcesOf(t, w, w.gaj); len(n) != 0 {
			t.Errorf("stored %d entries", len(n))
		}
	})
}
