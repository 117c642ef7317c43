package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordPageInvalidPurpose: the record page reached with a purpose it
// cannot audit (too long, a control character) shows the lookup form
// again (400) in the form's words (查询用途), the entry and subject filled
// in, as it does without a purpose, not an error page in the API's words;
// it reads and audits nothing. On both engines.
func TestRecordPageInvalidPurpose(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a := publish(t, f, "公安分局", "居住登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		as, p1 := strconv.FormatInt(a, 10), recordstest.CitizenID(1)
		police := f.client(t)
		tok := police.login("police.admin")
		line := `{"op":"add","subject_id":"` + p1 + `","produced_at":"2026-10-01T08:00:00+08:00","values":{"姓名":"张三"}}` + "\n"
		wantStatus(t, "upload", police.upload("/records/upload", tok, "p1.jsonl", []byte(line), "entry", as), http.StatusOK)
		for _, c := range []struct{ what, purpose, message string }{
			{"line break", "核查\n差异", "查询用途含有控制字符"},
			{"control character", "核查\a", "查询用途含有控制字符"},
			{"too long", strings.Repeat("办", 201), "查询用途不能超过 200 个字"},
		} {
			r := police.get("/records/entries/" + as + "/subjects/" + p1 + "?purpose=" + url.QueryEscape(c.purpose))
			wantStatus(t, c.what, r, http.StatusBadRequest)
			wantBody(t, c.what, r, `<form method="get" action="/records/lookup"`, `id="lookup-purpose-error">`+c.message,
				`aria-invalid="true" aria-describedby="lookup-purpose-error"`, `name="entry" type="text" value="`+entryCode(t, db, a)+`"`, `value="`+p1+`"`)
			wantNoBody(t, c.what, r, "张三", "查询事由", "错误代码", "返回首页")
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.read'`); n != 0 {
			t.Errorf("%d reads audited for purposes refused, want none", n)
		}
	})
}
