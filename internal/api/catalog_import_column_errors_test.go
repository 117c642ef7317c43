package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportColumnErrorsOnlyRefused: POST /api/v1/catalog/import of a
// file whose only problem is a column empty in every row (共享类型)
// answers 400 import_rejected with the column error, where it answered
// 200 imported false, as if nothing were wrong; nothing is stored.
func TestImportColumnErrorsOnlyRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		file := "资源名称,摘要,资源分类(类),项代码,项名称,目代码,目名称,资源格式,共享类型,共享方式,共享范围,开放属性,更新周期,安全级别,网络环境,所属领域,数据主体,信息项名称,数据类型,长度\n" +
			"婚姻登记信息,结婚离婚登记,部门信息资源,01,婚姻,001,登记,xlsx,,查询,全区,不开放,每天,2,政务外网,民政,自然人,公民身份号码,C,18\n" +
			"收养登记信息,收养登记,部门信息资源,01,婚姻,002,收养,xlsx,,查询,全区,不开放,每天,2,政务外网,民政,自然人,公民身份号码,C,18\n"
		for _, query := range []string{"", "?good_only=true"} {
			req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/catalog/import"+query, bytes.NewReader([]byte(file)))
			req.Header.Set("Content-Type", "text/csv")
			req.Header.Set("Authorization", "Bearer "+key)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body map[string]any
			json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			rep, _ := body["report"].(map[string]any)
			cols, _ := rep["column_errors"].([]any)
			rowErrs, _ := rep["errors"].([]any)
			if resp.StatusCode != 400 || body["code"] != "import_rejected" || rep["imported"] != false || len(cols) != 1 || len(rowErrs) != 0 {
				t.Errorf("%q: got %d %v, want 400 import_rejected with 共享类型's column error alone", query, resp.StatusCode, body)
			}
		}
		if n := f.count(t, "catalog_entries"); n != 0 {
			t.Errorf("refused import stored %d entries", n)
		}
	})
}
