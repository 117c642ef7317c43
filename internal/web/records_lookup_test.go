package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLookupFormErrors: a lookup the console cannot make (an entry no
// code or name names, a subject that is no identifier of the entry's
// kind, a field left empty, a purpose it cannot audit) shows the lookup
// form again with what was typed and the reason beside its field, every
// field's at once, not an error page with a code; a good one still goes
// to the record.
func TestLookupFormErrors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		a := publish(t, f, "公安分局", "居住登记信息", "01", "002", id, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		p1 := recordstest.CitizenID(1)
		bad := p1[:17] + map[bool]string{true: "1", false: "2"}[p1[17] != '1']
		police := f.loggedIn(t, "police.admin")
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
		// Every field's problem at once, each beside its field: the
		// subject is checked without its entry too.
		r := lookup("户口迁移", "123", "")
		wantStatus(t, "three problems", r, http.StatusBadRequest)
		for field, msg := range map[string]string{"entry": "没有资源代码或名称为“户口迁移”的已发布数据资源", "subject": "无法识别的号码", "purpose": "请填写查询用途"} {
			wantBody(t, "three problems", r, `id="lookup-`+field+`-error">`+msg, `aria-invalid="true" aria-describedby="lookup-`+field+`-error`)
		}
		wantBody(t, "three problems", r, `value="户口迁移"`, `id="lookup-subject" name="subject" type="text" value="123" maxlength="`+strconv.Itoa(2*records.MaxKey)+`"`)
		r = lookup("户口迁移", p1, "核查")
		wantBody(t, "an unknown entry, a citizen ID", r, `id="lookup-entry-error">`)
		wantNoBody(t, "an unknown entry, a citizen ID", r, `id="lookup-subject-error">`, `id="lookup-purpose-error">`)
		r = lookup("居住登记信息", p1, "核查")
		if want := "/records/entries/" + strconv.FormatInt(a, 10) + "/subjects/" + p1 + "?purpose=" + url.QueryEscape("核查"); r.Status != http.StatusSeeOther || r.Location != want {
			t.Errorf("lookup: %d to %q, want %s", r.Status, r.Location, want)
		}
	})
}

// TestLookupRequiresPurpose: the console reads a record only for a
// purpose, which its audit row keeps: the lookup form requires 查询用途
// (in the page and on the server, the typed values kept), and the record's
// page reached without one shows the form asking for it, reads nothing and
// audits nothing. On both engines.
func TestLookupRequiresPurpose(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		a := publish(t, f, "公安分局", "居住登记信息", "01", "002", id, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		as, p1 := strconv.FormatInt(a, 10), recordstest.CitizenID(1)
		police := f.client(t)
		tok := police.login("police.admin")
		line := `{"op":"add","subject_id":"` + p1 + `","produced_at":"2026-10-01T08:00:00+08:00","values":{"姓名":"张三"}}` + "\n"
		wantStatus(t, "upload", police.upload("/records/upload", tok, "p1.jsonl", []byte(line), "entry", as), http.StatusOK)
		reads := func() int {
			return count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.read'`)
		}

		wantBody(t, "the form", police.get("/records/lookup?entry="+as), `name="purpose" type="text" value="" maxlength="400" placeholder="如：核查多源差异" required`)
		for _, purpose := range []string{"", "  ", "\u3164", " \u2800\ufe0f"} { // blank, or only invisible characters
			r := police.get("/records/lookup?" + url.Values{"entry": {"居住登记信息"}, "subject": {p1}, "purpose": {purpose}}.Encode())
			wantStatus(t, "no purpose", r, http.StatusBadRequest)
			wantBody(t, "no purpose", r, `id="lookup-purpose-error">请填写查询用途`, `aria-invalid="true" aria-describedby="lookup-purpose-error"`,
				`value="居住登记信息"`, `value="`+p1+`"`)
			wantNoBody(t, "no purpose", r, `id="lookup-entry-error"`, `id="lookup-subject-error"`)
		}
		for _, q := range []string{"", "?purpose=", "?purpose=%20", "?purpose=%E3%85%A4"} { // U+3164
			r := police.get("/records/entries/" + as + "/subjects/" + p1 + q)
			wantStatus(t, "record without a purpose"+q, r, http.StatusBadRequest)
			wantBody(t, "record without a purpose"+q, r, `<form method="get" action="/records/lookup"`, `id="lookup-purpose-error">请填写查询用途`,
				`name="entry" type="text" value="`+entryCode(t, db, a)+`"`, `value="`+p1+`"`)
			wantNoBody(t, "record without a purpose"+q, r, "张三")
		}
		if n := reads(); n != 0 {
			t.Errorf("%d reads audited without a purpose, want none", n)
		}
		r := police.get("/records/entries/" + as + "/subjects/" + p1 + "?purpose=" + url.QueryEscape("核查"))
		wantStatus(t, "record with a purpose", r, http.StatusOK)
		wantBody(t, "record with a purpose", r, "张三")
		if n := reads(); n != 1 {
			t.Errorf("%d reads audited, want 1", n)
		}
	})
}
