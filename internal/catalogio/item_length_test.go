package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestItemLengthForms: a 长度 is read as a person writes it, full-width
// digits as a Chinese input method types them (１８, until 2026-12-06
// refused as not a whole number) among them, as the console's entry form
// reads an item's length (catalogio.ParseLength); text that is no whole
// number is one error of the column (长度). A sign is read (+18 is 18, as the
// console took it before 2026-12-06), so that a negative length is told
// out of range, not said to be no whole number.
func TestItemLengthForms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := csvHeader
		for i, length := range []string{"１８", "18.0", " 18位 ", "１８　个字符", "+18", "＋１８"} {
			file += strings.Replace(good("长度"+string(rune('甲'+i))), ",C,20,", ",C,"+length+",", 1)
		}
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 6 {
			t.Fatalf("import: created %d, %v (%+v)", rep.Created, err, rep.Errors)
		}
		for name, r := range resourcesOf(t, w, w.gaj) {
			if len(r.Items) != 1 || r.Items[0].Length != 18 {
				t.Errorf("%s: items %+v, want one of length 18", name, r.Items)
			}
		}

		for length, want := range map[string]string{"abc": "不是整数", "１８.５": "不是整数", "18,0": "不是整数",
			"-1": "应在 0 到", "－１": "应在 0 到", "- 1": "不是整数", "99999999999999999999": "应在 0 到"} {
			file := csvHeader + strings.Replace(good("长度错误"), ",C,20,", ",C,\""+length+"\",", 1)
			rep, _ := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
			if len(rep.Errors) != 1 || rep.Errors[0].Column != "长度" || !strings.Contains(rep.Errors[0].Message, want) {
				t.Errorf("length %q: errors %+v, want one of 长度 saying %s", length, rep.Errors, want)
			}
		}
	})
}
