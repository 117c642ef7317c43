package catalogio_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportCodeFolded: an exported row whose 资源代码 was retyped full
// width (１０１００１／０００００１), with a full-width solidus or with a
// trailing zero-width space is the entry of that code (unchanged); one
// that is no code once folded (101001、000001, 101001/1) is an error of its
// row (invalid_code), and a valid code no entry holds on a row named as an
// entry of the department is one too (code_not_found, naming the entry's
// code). Before, each of them created a second draft of the name, and the
// first could no longer be submitted (duplicate_entry_name).
func TestImportCodeFolded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		const name = "代码折叠测试目录"
		rep, err := importFile(w, w.gaj, []byte(csvHeader+good(name)), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 1 {
			t.Fatalf("first import: %+v, err %v %v", rep, err, rep.Errors)
		}
		code := rep.Entries[0].Code
		class, seq, _ := strings.Cut(code, "/")
		wide := strings.Map(func(r rune) rune { return r + 0xfee0 }, code)
		unused := class + "/" + seq[:len(seq)-2] + "99"
		for _, c := range []struct{ code, want string }{
			{wide, "unchanged"},
			{class + "／" + seq, "unchanged"},
			{code + "\u200b", "unchanged"},
			{"\ufeff" + code, "unchanged"},
			{class + "、" + seq, "invalid_code"},
			{class + "/1", "invalid_code"},
			{unused, "code_not_found"},
		} {
			row := strings.Replace(good(name), name+",,", name+","+c.code+",", 1)
			rep, err := importFile(w, w.gaj, []byte(csvHeader+row), catalogio.CSV, catalogio.Options{GoodOnly: true})
			got := ""
			switch {
			case err != nil:
				got = err.Error()
			case len(rep.Errors) > 0:
				got = rep.Errors[0].Code
				if c.want == "code_not_found" && !strings.Contains(rep.Errors[0].Message, code) {
					t.Errorf("code %q: message %q does not name %s", c.code, rep.Errors[0].Message, code)
				}
			case len(rep.Entries) == 1 && rep.Entries[0].Code == code:
				got = rep.Entries[0].Action
			default:
				got = fmt.Sprintf("entries %+v", rep.Entries)
			}
			if got != c.want {
				t.Errorf("code %q: %s, want %s", c.code, got, c.want)
			}
		}
		var n int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM catalog_entries WHERE department_id = $1`,
			w.gaj.DepartmentID).Scan(&n); err != nil || n != 1 {
			t.Errorf("the department has %d entries (%v), want 1", n, err)
		}
	})
}
