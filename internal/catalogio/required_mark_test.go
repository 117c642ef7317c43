package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRequiredMarkHeaders: headers that templates mark required or
// optional, 资源名称（必填）, 资源名称 and (必填) on a line of its own,
// 说明（选填）, 长度（必填项）, are the fields they name; until 2026-12-06
// they were not recognised (missing_column 资源名称).
func TestRequiredMarkHeaders(t *testing.T) {
	got := catalogio.Suggest([]string{"资源名称（必填）", "摘要(必填)", "信息项名称\n（必填）", "长度 （必填项）", "说明（选填）", "备注（其他）"}, false)
	want := map[string]string{"资源名称（必填）": "name", "摘要(必填)": "abstract", "信息项名称\n（必填）": "item.name",
		"长度 （必填项）": "item.length", "说明（选填）": "item.description"}
	if len(got) != len(want) {
		t.Errorf("Suggest: got %v, want %v", got, want)
	}
	for h, k := range want {
		if got[h] != k {
			t.Errorf("Suggest %q: got %q, want %q", h, got[h], k)
		}
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		header := strings.Replace(strings.Replace(csvHeader, "资源名称,", "\"资源名称\n（必填）\",", 1), "摘要,", "摘要（必填）,", 1)
		rep, err := importFile(w, w.gaj, []byte(header+good("营业执照信息")), catalogio.CSV, catalogio.Options{DryRun: true})
		if err != nil || rep.Created != 1 {
			t.Errorf("import: %v, %d created, errors %v", err, rep.Created, rep.Errors)
		}
	})
}
