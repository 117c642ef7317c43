package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLookupFormErrors: a lookup the console cannot make (an entry no
// code or name names, a subject that is no identifier of the entry's
// kind, a field left empty, a purpose it cannot audit) shows the lookup
// form again with what was typed and the reason beside its field, not an
// error page with a code; a good one still goes to the record.
func TestLookupFormErrors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		a := publish(t, f, "公安分局", "居住登记信息", "01", "002", id, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		p1 := recordstest.CitizenID(1)
		bad := p1[:17] + map[bool]string{true: "1", false: "2"}[p1[17] != '1']
		police := f.client(t)
		police.login("police.admin")
		lookup := func(entry, subject, purpose string) response {
			return police.get("/records/lookup?" + url.Values{"entry": {entry}, "subject": {subject}, "purpose": {purpose}}.Encode())
		}
		for _, c := range []struct {
			what                   string
			entry, subject, purpos string
			field, message         string
		}{
			{"unknown entry", "户口迁移", p1, "核查", "entry", "没有资源代码或名称为“户口迁移”的已发布数据资源"},
			{"no such entry id", "999999", p1, "", "entry", "没有资源代码或名称为“999999”的已发布数据资源"},
			{"no entry", "", p1, "", "entry", "请选择数据资源"},
			{"bad citizen ID", "居住登记信息", bad, "核查", "subject", "公民身份号码校验码错误"},
			{"a credit code for a person", "居住登记信息", recordstest.USCC(1), "", "subject", "公民身份号码"},
			{"no subject", "居住登记信息", " ", "", "subject", "请填写主体标识"},
			{"purpose with a line break", "居住登记信息", p1, "核查\n差异", "purpose", "查询用途含有控制字符"},
		} {
			r := lookup(c.entry, c.subject, c.purpos)
			wantStatus(t, c.what, r, http.StatusBadRequest)
			wantBody(t, c.what, r, `<form method="get" action="/records/lookup"`, `id="lookup-`+c.field+`-error">`+c.message,
				`name="`+c.field+`"`, `aria-invalid="true" aria-describedby="lookup-`+c.field+`-error`)
			if c.entry != "" {
				wantBody(t, c.what, r, `value="`+c.entry+`"`)
			}
			if c.field != "subject" {
				wantBody(t, c.what, r, `value="`+c.subject+`"`)
			}
			wantNoBody(t, c.what, r, "错误代码", "返回首页")
		}
		r := lookup("居住登记信息", p1, "核查")
		if want := "/records/entries/" + strconv.FormatInt(a, 10) + "/subjects/" + p1 + "?purpose=" + url.QueryEscape("核查"); r.Status != http.StatusSeeOther || r.Location != want {
			t.Errorf("lookup: %d to %q, want %s", r.Status, r.Location, want)
		}
	})
}
