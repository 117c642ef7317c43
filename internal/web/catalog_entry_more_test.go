package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRetireFormKeepsReason: a retirement refused for want of the
// confirmation keeps the reason typed in the retire form, as the reject
// form keeps its own, and marks the field at fault; a refusal for want of
// a reason marks the reason box.
func TestRetireFormKeepsReason(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := publish(t, f, "公安分局", "暂住人口登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true})
		path := "/catalog/" + strconv.FormatInt(id, 10)
		police := f.client(t)
		ptok := police.login("police.admin")

		r := police.post(path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"已并入 <居住登记>"}})
		wantStatus(t, "unconfirmed", r, http.StatusBadRequest)
		wantBody(t, "unconfirmed", r, "请勾选“确认注销”后再提交", `value="已并入 &lt;居住登记&gt;"`, `name="confirm" value="yes" required aria-invalid="true"`)
		wantNoBody(t, "unconfirmed", r, `id="retire-reason" name="reason" placeholder="注销原因" maxlength="500" aria-invalid="true"`)

		r = police.post(path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"  "}, "confirm": {"yes"}})
		wantStatus(t, "no reason", r, http.StatusBadRequest)
		wantBody(t, "no reason", r, "注销时必须说明理由", `aria-invalid="true" aria-describedby="retire-reason-error"`, `id="retire-reason-error"`)
	})
}
