package api_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPutManyUnknownFields: an entry PUT with 30 unknown fields is refused
// naming the first 20 (errs.MaxKeyIssues) and counting the other 10, not
// listing every one, and changes nothing.
func TestPutManyUnknownFields(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		base := publishedEntry(t, f, admin, op)
		var extra strings.Builder
		for i := range 30 {
			extra.WriteString(`"k` + strconv.Itoa(i) + `":1,`)
		}
		body := "{" + extra.String() + strings.Replace(marriageEntry, "婚姻登记信息", "婚姻登记信息（修订）", 1)[1:]
		r := f.do(t, "PUT", base, "", body, admin...)
		detail := textOf(r.body["detail"])
		if r.status != 400 || r.body["code"] != "unknown_field" || r.body["field"] != "k0" ||
			!strings.Contains(detail, "未知字段：k0、k1、") || !strings.Contains(detail, "、k19（另有 10 个字段未知或重复，未逐一列出）") {
			t.Errorf("PUT with 30 unknown fields: %d %v, want 400 unknown_field naming k0 … k19, 10 more", r.status, r.body)
		}
		if w := f.do(t, "GET", base+"?view=working", "", "", admin...); strings.Contains(textOf(w.body["name"]), "修订") {
			t.Errorf("after the refusal the entry is %v", w.body["name"])
		}
	})
}
