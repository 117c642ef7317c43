package api_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

const importCSV = "资源名称,摘要,资源分类(类),项代码,项名称,目代码,目名称,资源格式,共享类型,共享方式,共享范围,开放属性,更新周期,安全级别,网络环境,所属领域,数据主体,信息项\n" +
	"婚姻登记信息,结婚离婚登记,部门信息资源,01,婚姻,001,登记,xlsx,无条件共享,查询,全区,不开放,每天,2,政务外网,民政,自然人,公民身份号码\n" +
	"收养登记信息,收养登记,部门信息资源,01,婚姻,002,收养,xlsx,无条件共享,查询,全区,不开放,每天,2,政务外网,,自然人,公民身份号码\n"

func TestCatalogImportExportAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		send := func(path, ct string, body []byte) (int, map[string]any) {
			t.Helper()
			return postRaw(t, f.srv.URL+path, key, ct, bytes.NewReader(body))
		}
		mapping := `{"name":"民政","columns":{},"defaults":{"数据类型":"C","长度":"18"}}`
		if r := f.do(t, "POST", "/api/v1/catalog/import-mappings", key, mapping); r.status != 200 {
			t.Fatalf("save mapping: %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/catalog/import-mappings", key, ""); r.status != 200 || len(r.body["items"].([]any)) != 1 {
			t.Fatalf("list mappings: %d %v", r.status, r.body)
		}
		// Row 3 has no domain: all or nothing.
		status, body := send("/api/v1/catalog/import?mapping=民政", "text/csv", []byte(importCSV))
		rep, _ := body["report"].(map[string]any)
		if status != 400 || body["code"] != "import_rejected" || rep == nil || rep["rows_with_errors"] != 1.0 {
			t.Fatalf("bad row: got %d %v", status, body)
		}
		errs := rep["errors"].([]any)
		if e := errs[0].(map[string]any); e["row"] != 3.0 || e["field"] != "domain" {
			t.Errorf("error: got %v, want row 3 field domain", e)
		}
		status, body = send("/api/v1/catalog/import?mapping=民政&good_only=true", "text/csv", []byte(importCSV))
		if status != 201 || body["created"] != 1.0 {
			t.Fatalf("good rows: got %d %v", status, body)
		}

		req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/catalog/export?format=xlsx&status=draft", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		xlsx, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "catalog.xlsx") {
			t.Fatalf("export: %d %v", resp.StatusCode, resp.Header)
		}
		var mp bytes.Buffer
		w := multipart.NewWriter(&mp)
		fw, _ := w.CreateFormFile("file", "目录.xlsx")
		fw.Write(xlsx)
		w.Close()
		status, body = send("/api/v1/catalog/import?dry_run=true", w.FormDataContentType(), mp.Bytes())
		if status != 200 || body["unchanged"] != 1.0 || body["imported"] != false {
			t.Fatalf("re-import of the export: got %d %v", status, body)
		}
		// Read-only callers cannot import.
		if r := f.do(t, "POST", "/api/v1/catalog/import?format=csv", f.readKey, ""); r.status != 403 {
			t.Errorf("read key import: got %d", r.status)
		}
	})
}
