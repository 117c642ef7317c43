package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestJSONLinesInvalidText: a JSON line holding bytes that are not UTF-8,
// or an escaped surrogate that is not half of a pair, is an error of its
// row (invalid_text, field its JSON path), where encoding/json made U+FFFD
// of it and the entry was stored so; the other lines import as before, and
// an escaped pair is the character it encodes.
func TestJSONLinesInvalidText(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		line := func(name, abstract, category, item string) string {
			return `{"name":"` + name + `","abstract":"` + abstract + `","classification":{"class":"departmental",` +
				`"category_code":"01","category_name":"` + category + `","subcategory_code":"001","subcategory_name":"登记"},` +
				`"format":"spreadsheet","items":[{"name":"编号","type":"C","length":20},{"name":"` + item + `","type":"C","length":20}],` +
				`"share_type":"unconditional","share_methods":["query"],"share_scope":"全区","open_attribute":"closed",` +
				`"update_frequency":"yearly","security_level":1,"network_zone":"egov_extranet","domain":"18","subject_kind":"none"}` + "\n"
		}
		file := line("甲项", "摘要", "综合", "名称") +
			line("乙\xff", "摘要", "综合", "名称") +
			line("丙项", `摘\ud800要`, "综合", "名称") +
			"\n" +
			line("丁项", "摘要", "综合", `\udc00`) +
			line("戊项", "摘要", "综\xc3\x28", "名称") +
			line(`己\ud83d\ude00`, "摘要", "综合", "名称")
		want := map[int]string{2: "name", 3: "abstract", 5: "items[1].name", 6: "classification.category_name"}

		rep, err := importFile(w, w.gaj, []byte(file), catalogio.JSONL, catalogio.Options{})
		if e := errs.As(err); e == nil || e.Code != "import_rejected" {
			t.Fatalf("import: %v, want import_rejected", err)
		}
		got := map[int]string{}
		for _, e := range rep.Errors {
			if e.Code != "invalid_text" || !strings.Contains(e.Message, e.Field) {
				t.Errorf("error %+v, want invalid_text naming its field", e)
			}
			got[e.Row] = e.Field
		}
		if len(got) != len(want) {
			t.Errorf("errors %v, want %v", rep.Errors, want)
		}
		for row, field := range want {
			if got[row] != field {
				t.Errorf("row %d: error at %q, want invalid_text at %s", row, got[row], field)
			}
		}
		if n := len(resourcesOf(t, w, w.gaj)); n != 0 {
			t.Errorf("a rejected import stored %d entries", n)
		}

		rep, err = importFile(w, w.gaj, []byte(file), catalogio.JSONL, catalogio.Options{GoodOnly: true})
		if err != nil || rep.Created != 2 || len(rep.Errors) != len(want) {
			t.Fatalf("good rows only: created %d, %v, errors %v", rep.Created, err, rep.Errors)
		}
		stored := resourcesOf(t, w, w.gaj)
		if _, ok := stored["甲项"]; !ok || len(stored) != 2 {
			t.Errorf("stored %d entries, want 甲 and 己😀", len(stored))
		}
		if _, ok := stored["己😀"]; !ok {
			t.Errorf("escaped pair: stored %v, want 己😀", stored)
		}
		for name, r := range stored {
			if strings.ContainsRune(name+r.Abstract+r.Classification.CategoryName+r.Items[1].Name, '\ufffd') {
				t.Errorf("entry %q stored with U+FFFD", name)
			}
		}
	})
}
