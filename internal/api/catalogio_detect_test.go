package api_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// detectCSV is a catalog of one entry, good to import.
const detectCSV = "资源名称,摘要,资源分类(类),项代码,项名称,目代码,目名称,资源格式,共享类型,共享方式,共享范围,开放属性,更新周期,安全级别,网络环境,所属领域,数据主体,信息项名称,数据类型,长度\n" +
	"婚姻登记信息,结婚离婚登记,部门信息资源,01,婚姻,001,登记,xlsx,无条件共享,查询,全区,不开放,每天,2,政务外网,民政,自然人,公民身份号码,C,18\n"

// detectFiles returns detectCSV as Excel's Unicode 文本 (UTF-16 with its
// byte order mark, tab-separated) and as a workbook.
func detectFiles(t *testing.T) (u16, xlsx []byte) {
	t.Helper()
	text, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(detectCSV, ",", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	wb := excelize.NewFile()
	for i, line := range strings.Split(strings.TrimSpace(detectCSV), "\n") {
		cells := []any{}
		for _, v := range strings.Split(line, ",") {
			cells = append(cells, v)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := wb.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := wb.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return []byte(text), buf.Bytes()
}

// TestImportFormatDetected: POST /api/v1/catalog/import tells a file's
// format as hutong import catalog and the console do (catalogio.Detect):
// Excel's Unicode 文本 named .txt, or unnamed, by its byte order mark, and
// a workbook without an extension by its start, sent as a multipart form
// or as the raw body of any media type. Until 2026-12-06 the API told the
// format by name and media type alone and refused every one of them: 400
// unknown_format (无法判断文件格式). A workbook named, typed or given
// (format=csv) as CSV is read as the workbook it is, told so by Detect
// since 2026-12-06 (before, by ImportData).
func TestImportFormatDetected(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		u16, xlsx := detectFiles(t)
		type upload struct {
			name, mediaType string // name: a multipart form's file name; else the raw body
			multipart       bool
			format          string // format=
		}
		for _, tc := range []struct {
			file    []byte
			want    string
			uploads []upload
		}{
			{u16, "csv", []upload{{"u16.txt", "", true, ""}, {"u16.txt", "text/plain", true, ""}, {"u16", "", true, ""},
				{"", "text/plain", false, ""}, {"", "application/octet-stream", false, ""}, {"", "", false, ""}}},
			{xlsx, "xlsx", []upload{{"目录", "", true, ""}, {"目录", "application/octet-stream", true, ""},
				{"", "application/octet-stream", false, ""}, {"", "", false, ""},
				{"目录.csv", "", true, ""}, {"", "text/csv", false, ""}, {"目录", "", true, "csv"}, {"", "", false, "csv"}}},
		} {
			for _, u := range tc.uploads {
				body, ct := tc.file, u.mediaType
				if u.multipart {
					var b bytes.Buffer
					mw := multipart.NewWriter(&b)
					part, _ := mw.CreateFormFile("file", u.name)
					part.Write(tc.file)
					mw.Close()
					body, ct = b.Bytes(), mw.FormDataContentType()
				}
				query := "?dry_run=true"
				if u.format != "" {
					query += "&format=" + u.format
				}
				req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/catalog/import"+query, bytes.NewReader(body))
				if ct != "" {
					req.Header.Set("Content-Type", ct)
				}
				req.Header.Set("Authorization", "Bearer "+key)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				var rep map[string]any
				json.NewDecoder(resp.Body).Decode(&rep)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || rep["format"] != tc.want || rep["rows"] != 1.0 {
					t.Errorf("%s %+v: got %d %v, want 200 and one row read as %s", tc.want, u, resp.StatusCode, rep, tc.want)
				}
			}
		}
	})
}
