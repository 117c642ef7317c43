package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/catalogio/catalogiotest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// progressLine is one line of a streamed import.
type progressLine struct {
	Done   *int   `json:"done"`
	Total  int    `json:"total"`
	Status int    `json:"status"`
	HTML   string `json:"html"`
	Error  string `json:"error"`
}

// uploadRequest is the import form's POST as app.js sends it.
func uploadRequest(t *testing.T, url, token, name string, data []byte, fields ...string) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", token)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	req, err := http.NewRequest("POST", url, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/x-ndjson")
	return req
}

// streamedImport posts an import asking for progress and returns the
// answer's status and lines; first, if not nil, runs when the first line
// has arrived.
func streamedImport(t *testing.T, c *client, req *http.Request, first func(progressLine)) (int, []progressLine) {
	t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-ndjson; charset=utf-8" {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("streamed import: Content-Type %q, status %d\n%s", ct, resp.StatusCode, b)
	}
	var lines []progressLine
	br := bufio.NewReader(resp.Body)
	for {
		b, err := br.ReadBytes('\n')
		if err == io.EOF && len(b) == 0 {
			break
		}
		if err != nil {
			t.Fatalf("read line %d: %v (%q)", len(lines)+1, err, b)
		}
		var l progressLine
		if err := json.Unmarshal(b, &l); err != nil {
			t.Fatalf("line %d %q: %v", len(lines)+1, b, err)
		}
		if len(lines) == 0 && first != nil {
			first(l)
		}
		lines = append(lines, l)
	}
	return resp.StatusCode, lines
}

// flatCSV is a valid one-table file of n entries, one data item each.
func flatCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("资源名称,摘要,资源分类(类),项代码,项名称,目代码,目名称,资源格式,共享类型,共享方式,共享范围,开放属性,更新周期,安全级别,网络环境,所属领域,数据主体,信息项名称,数据类型,长度\n")
	for i := range n {
		fmt.Fprintf(&b, "批量资源%05d,批量导入的数据资源,部门信息资源,01,综合,001,登记,电子表格,无条件共享,信息查询接口,全区,不予开放,每年,1,政务外网,公共安全,不涉及,编号,C,20\n", i)
	}
	return b.Bytes()
}

// TestCatalogImportProgress: a request that accepts JSON lines gets the
// import's progress while it runs, then the report as on the page.
func TestCatalogImportProgress(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		const n = 1000

		status, lines := streamedImport(t, c, uploadRequest(t, f.srv.URL+"/catalog/import", tok, "big.csv", flatCSV(n)),
			func(first progressLine) {
				// Flushed as it happens: the first line arrives while the
				// import is still storing rows.
				if first.Done == nil || *first.Done >= n {
					t.Errorf("first line %+v, want progress before the end", first)
				}
				if got := countEntries(t, db); got != 0 {
					t.Errorf("entries committed when the first progress line arrived: %d, want 0", got)
				}
			})
		if status != http.StatusOK || len(lines) < 3 {
			t.Fatalf("got status %d with %d lines, want 200 with progress lines and the result", status, len(lines))
		}
		last := 0
		for i, l := range lines[:len(lines)-1] {
			if l.Done == nil || l.Total != n || *l.Done < last || *l.Done > n {
				t.Fatalf("line %d: %+v, want progress of %d rows after %d", i+1, l, n, last)
			}
			last = *l.Done
		}
		if last != n {
			t.Errorf("last progress line says %d done, want %d", last, n)
		}
		res := lines[len(lines)-1]
		if res.Status != http.StatusOK || res.Done != nil {
			t.Fatalf("result line: %+v", res)
		}
		for _, want := range []string{`id="import-report"`, "big.csv", fmt.Sprintf("新增 %d 个", n)} {
			if !strings.Contains(res.HTML, want) {
				t.Errorf("result HTML lacks %q:\n%s", want, res.HTML)
			}
		}
		if strings.Contains(res.HTML, "<html") || strings.Contains(res.HTML, `id="import-form"`) {
			t.Errorf("the result is the whole page, want the report alone")
		}
		if got := countEntries(t, db); got != n {
			t.Errorf("entries after the import: %d, want %d", got, n)
		}

		// A refusal before any row: its status, and the refusal alone.
		status, lines = streamedImport(t, c, uploadRequest(t, f.srv.URL+"/catalog/import", tok, "", nil), nil)
		if status != http.StatusUnprocessableEntity || len(lines) != 1 || lines[0].Status != http.StatusUnprocessableEntity ||
			!strings.Contains(lines[0].HTML, "请选择要导入的 Excel（.xlsx）、CSV（.csv，或 Excel 另存的 Unicode 文本 .txt）或 JSON Lines（.jsonl、.ndjson）文件") {
			t.Errorf("no file: got %d %+v", status, lines)
		}
		// Bad rows: progress, then the report of a rejected import.
		bad := string(flatCSV(2)) + "坏行,摘要,部门信息资源,01,综合,001,登记,电子表格,随便,信息查询接口,全区,不予开放,每年,1,政务外网,公共安全,不涉及,编号,C,20\n"
		_, lines = streamedImport(t, c, uploadRequest(t, f.srv.URL+"/catalog/import", tok, "bad.csv", []byte(bad)), nil)
		res = lines[len(lines)-1]
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.HTML, "未导入任何数据") ||
			!strings.Contains(res.HTML, `id="import-errors"`) {
			t.Errorf("rejected import: result %+v", res)
		}
		if got := countEntries(t, db); got != n {
			t.Errorf("entries after a rejected import: %d, want %d", got, n)
		}
	})
}

// TestCatalogImportTimeouts: an upload slower than the server's read and
// write timeouts still gets its import and its answer.
func TestCatalogImportTimeouts(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	c := f.client(t)
	tok := c.login("police.admin")
	srv := httptest.NewUnstartedServer(f.h)
	srv.Config.ReadTimeout = 300 * time.Millisecond
	srv.Config.WriteTimeout = 300 * time.Millisecond
	srv.Start()
	defer srv.Close()

	req := uploadRequest(t, srv.URL+"/catalog/import", tok, "slow.csv", flatCSV(3))
	req.Header.Del("Accept")
	body, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	go func() {
		// The body arrives in four parts over about a second.
		for i := range 4 {
			part := body[i*len(body)/4 : (i+1)*len(body)/4]
			if _, err := pw.Write(part); err != nil {
				return
			}
			time.Sleep(300 * time.Millisecond)
		}
		pw.Close()
	}()
	req.Body, req.ContentLength = pr, int64(len(body))
	start := time.Now()
	r := c.do(req)
	if took := time.Since(start); took < 900*time.Millisecond {
		t.Fatalf("the upload took %v, want longer than the timeouts", took)
	}
	wantStatus(t, "slow upload", r, http.StatusOK)
	wantBody(t, "slow upload", r, "新增 3 个")
}

// TestCatalogImportAnyProvider imports the real catalog through a saved
// mapping, good rows only, as a dry run: without 不限数源部门 every row is
// another provider's and none can be imported; with it the rows are, as
// with the API's any_provider and the CLI's -any-provider. The report page
// lists the first maxReportRows errors and normalised values only, and the
// whole report comes as a CSV file.
func TestCatalogImportAnyProvider(t *testing.T) {
	data := catalogiotest.ReadRealCatalog(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		u := f.users["police.admin"]
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorUser, ID: u.Username, Name: u.DisplayName,
			DepartmentID: u.DepartmentID}, Editor: true}
		err := db.Tx(context.Background(), func(tx *sqldb.Tx) error {
			_, err := catalogio.SaveMapping(context.Background(), tx, by, *catalogiotest.RealMapping(), f.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		form := []string{"mapping", "开放平台目录", "good_only", "yes", "dry_run", "yes"}

		r := c.upload("/catalog/import", tok, "catalog.csv", data, form...)
		wantStatus(t, "own providers only", r, http.StatusOK)
		wantBody(t, "own providers only", r, "可新增 0 个", "不是平台已登记的部门；导入的数据资源属于", `id="import-any-provider"`)

		r = c.upload("/catalog/import", tok, "catalog.csv", data, append(form, "any_provider", "yes")...)
		wantStatus(t, "any provider", r, http.StatusOK)
		wantNoBody(t, "any provider", r, "可新增 0 个", "不是平台已登记的部门；导入的数据资源属于")
		wantBody(t, "any provider", r, `id="import-truncated"`, `id="import-providers"`, "未登记")
		created := regexp.MustCompile(`可新增 (\d+) 个`).FindStringSubmatch(r.Body)
		if created == nil || created[1] == "0" {
			t.Fatalf("any provider: %v importable, want some", created)
		}
		page := r.Body
		errRows := strings.Count(tableBody(t, page, "import-errors"), "<tr>")
		changeRows := strings.Count(tableBody(t, page, "import-changes"), "<tr>")
		if errRows != 100 || changeRows != 100 {
			t.Errorf("the page lists %d errors and %d changes, want the first 100 of each", errRows, changeRows)
		}
		if len(r.Body) > 200<<10 {
			t.Errorf("report page of %d KiB", len(r.Body)>>10)
		}
		if n := countEntries(t, db); n != 0 {
			t.Errorf("a dry run stored %d entries", n)
		}

		// The whole report, as a dry run's CSV file: every error and change.
		r = c.upload("/catalog/import", tok, "catalog.csv", data, append(form, "any_provider", "yes", "report", "csv")...)
		wantStatus(t, "full report", r, http.StatusOK)
		if ct, cd := r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"); ct != "text/csv; charset=utf-8" ||
			!strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, url.PathEscape("导入报告-catalog.csv")) {
			t.Fatalf("full report: Content-Type %q, Content-Disposition %q", ct, cd)
		}
		// A file name with characters RFC 5987 escapes comes back whole.
		named := c.upload("/catalog/import", tok, "目录=2026:@.csv", data, append(form, "any_provider", "yes", "report", "csv")...)
		if _, params, err := mime.ParseMediaType(named.Header.Get("Content-Disposition")); err != nil || params["filename"] != "导入报告-目录=2026:@.csv" {
			t.Errorf("full report of 目录=2026:@.csv: Content-Disposition %q (%v)", named.Header.Get("Content-Disposition"), err)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, row := range rows[1:] {
			kinds[row[0]]++
		}
		total := regexp.MustCompile(`<h3>(错误|自动规范) <span class="count">(\d+)</span>`).FindAllStringSubmatch(page, -1)
		if len(total) != 2 {
			t.Fatalf("counts on the page: %v", total)
		}
		for _, m := range total {
			if n, _ := strconv.Atoi(m[2]); kinds[m[1]] != n || n <= 100 {
				t.Errorf("the CSV has %d lines of %s, the page counts %d (more than 100)", kinds[m[1]], m[1], n)
			}
		}
		if rows[0][0] != "类别" || len(kinds) != 2 {
			t.Errorf("CSV header %v, kinds %v", rows[0], kinds)
		}

		// Only a dry run's report is a file: a real import's outcome is the page.
		r = c.upload("/catalog/import", tok, "catalog.csv", data, "mapping", "开放平台目录", "good_only", "yes",
			"any_provider", "yes", "report", "csv")
		wantStatus(t, "full report of a real import", r, http.StatusUnprocessableEntity)
		wantBody(t, "full report of a real import", r, "下载完整报告只用于试导入")
		if n := countEntries(t, db); n != 0 {
			t.Errorf("a refused import stored %d entries", n)
		}
	})
}

// tableBody is the body of the table of page whose id is id.
func tableBody(t *testing.T, page, id string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, `id="`+id+`"`)
	if !ok {
		t.Fatalf("no table %s", id)
	}
	_, rest, _ = strings.Cut(rest, "<tbody>")
	body, _, _ := strings.Cut(rest, "</tbody>")
	return body
}

// TestCatalogImportNotAWorkbook: a file that is no workbook is refused in
// Chinese, without the zip reader's English, and without the offer to
// import the good rows, of which there are none.
func TestCatalogImportNotAWorkbook(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		r := c.upload("/catalog/import", tok, "catalog.xlsx", []byte("资源名称,摘要\n户籍,登记信息\n"))
		wantStatus(t, "not a workbook", r, http.StatusUnprocessableEntity)
		wantBody(t, "not a workbook", r, "文件不是 XLSX 工作簿，或已损坏", "文件有 1 处问题，未导入任何数据；请修正后重新导入")
		wantNoBody(t, "not a workbook", r, "zip:", "或选择只导入无误的行")
	})
}

// TestCatalogImportColumnErrors: the page tells a column the file has not
// (网络环境) once, above the rows' errors, where its error filled the
// 100 rows listed, one a row, and hid the rows' own.
func TestCatalogImportColumnErrors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		file := "资源名称,摘要,资源分类(类),项代码,项名称,目代码,目名称,资源格式,共享类型,共享方式,共享范围,开放属性,更新周期,安全级别,所属领域,数据主体,信息项名称,数据类型,长度\n"
		for i := range 3 {
			level := "1"
			if i == 2 {
				level = "9"
			}
			file += fmt.Sprintf("登记信息%d,登记,部门信息资源,01,综合,001,登记,电子表格,无条件共享,查询,全区,不予开放,每年,%s,公共安全,不涉及,编号,C,20\n", i, level)
		}
		r := c.upload("/catalog/import", tok, "catalog.csv", []byte(file), "dry_run", "yes")
		wantStatus(t, "column absent", r, http.StatusUnprocessableEntity)
		wantBody(t, "column absent", r, `id="import-column-errors"`, "文件没有“网络环境”列，3 行因此有错误", "-default 网络环境=值")
		errRows := tableBody(t, r.Body, "import-errors")
		if strings.Count(errRows, "<tr>") != 1 || !strings.Contains(errRows, "安全级别“9”无法识别") {
			t.Errorf("want only row 4's own error listed, got %s", errRows)
		}
	})
}

// TestCatalogImportColumnErrorsOnlyRefused: the page refuses a file whose
// only problem is a column empty in every row (共享类型), with its
// refusal and the column's error, where it answered 200 with the report
// and no word that nothing was imported.
func TestCatalogImportColumnErrorsOnlyRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		file := "资源名称,摘要,资源分类(类),项代码,项名称,目代码,目名称,资源格式,共享类型,共享方式,共享范围,开放属性,更新周期,安全级别,网络环境,所属领域,数据主体,信息项名称,数据类型,长度\n"
		for i := range 2 {
			file += fmt.Sprintf("登记信息%d,登记,部门信息资源,01,综合,001,登记,电子表格,,查询,全区,不予开放,每年,1,政务外网,公共安全,不涉及,编号,C,20\n", i)
		}
		r := c.upload("/catalog/import", tok, "catalog.csv", []byte(file))
		wantStatus(t, "column empty", r, http.StatusUnprocessableEntity)
		wantBody(t, "column empty", r, `id="import-error"`, "2 个数据资源有错误、共 2 处问题，未导入任何数据",
			`id="import-column-errors"`, "“共享类型”列每行都为空，2 行因此有错误")
		wantNoBody(t, "column empty", r, `id="import-done"`, "或选择只导入无误的行")
	})
}

// TestCatalogImportUnicodeText: the page reads a .txt as CSV, as Excel
// saves its Unicode 文本 (UTF-16, tab-separated): its columns are
// recognised and its row checked (here for the 网络环境 it lacks). Until 2026-12-06 the
// page refused the file: 只能导入 .xlsx、.csv 或 .jsonl 文件.
func TestCatalogImportUnicodeText(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		file := "资源名称\t摘要\t资源分类(类)\t项代码\t项名称\t目代码\t目名称\t资源格式\t共享类型\t共享方式\t共享范围\t开放属性\t更新周期\t安全级别\t所属领域\t数据主体\t信息项名称\t数据类型\t长度\n" +
			"登记信息\t登记\t部门信息资源\t01\t综合\t001\t登记\t电子表格\t无条件共享\t查询\t全区\t不予开放\t每年\t1\t公共安全\t不涉及\t编号\tC\t20\n"
		data, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(file)
		if err != nil {
			t.Fatal(err)
		}
		r := c.upload("/catalog/import", tok, "目录.txt", []byte(data), "dry_run", "yes")
		wantStatus(t, "unicode text", r, http.StatusUnprocessableEntity)
		wantBody(t, "unicode text", r, "网络环境应为互联网、政务外网或部门专网", "<td>信息项名称</td><td>信息项名称</td><td>标准列</td>")
		wantNoBody(t, "unicode text", r, "只能导入")
	})
}

// acceptRE finds the import page's file picker's accept attribute.
var acceptRE = regexp.MustCompile(`<input id="import-file" name="file" type="file" accept="([^"]*)"`)

// TestCatalogImportPickerNamesFormats: the import page's file picker
// offers the files the page imports and no other, and its refusals, of no
// file and of a file it does not import, name every one of them. Until
// 2026-12-06 the picker and both refusals named .xlsx, .csv and .jsonl
// only, though the page imports a .txt (Excel's Unicode 文本) and .ndjson.
func TestCatalogImportPickerNamesFormats(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		m := acceptRE.FindStringSubmatch(c.get("/catalog/import").Body)
		if m == nil {
			t.Fatal("no file picker with an accept attribute on the import page")
		}
		offered := strings.Split(m[1], ",")
		none := c.upload("/catalog/import", tok, "", nil)
		wantStatus(t, "no file", none, http.StatusUnprocessableEntity)
		other := c.upload("/catalog/import", tok, "目录.pdf", []byte("%PDF"))
		wantStatus(t, "pdf", other, http.StatusUnprocessableEntity)
		for _, ext := range []string{".xlsx", ".csv", ".txt", ".jsonl", ".ndjson", ".xls", ".json", ".tsv", ".pdf", ".zip"} {
			r := c.upload("/catalog/import", tok, "目录"+ext, []byte("资源名称\n"), "dry_run", "yes")
			imported := !strings.Contains(r.Body, "只能导入")
			if slices.Contains(offered, ext) != imported {
				t.Errorf("%s: imported %v, offered by the picker %v (accept=%q)", ext, imported, !imported, m[1])
			}
			if !imported {
				continue
			}
			for what, r := range map[string]response{"no file": none, "pdf": other} {
				if !strings.Contains(r.Body, ext) {
					t.Errorf("the refusal of %s does not name %s, which the page imports", what, ext)
				}
			}
		}
	})
}

// TestCatalogImportSkippedRowsShown: the import page lists the rows of
// the file it skipped, holding no value of an item (a note below the
// 信息项 sheet's items), with their row; until 2026-12-06 they were
// skipped unseen. The file is imported all the same. Of a 资源代码 filled
// down past the items it counts every row, listing the first 100 (the
// report's, catalogio.MaxSkippedRows).
func TestCatalogImportSkippedRowsShown(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		createEntry(t, c, entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no"))
		x := c.get("/catalog/export?format=xlsx")
		wantStatus(t, "export xlsx", x, http.StatusOK)
		wb, err := excelize.OpenReader(strings.NewReader(x.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		rows, err := wb.GetRows(catalogio.SheetItems)
		if err != nil {
			t.Fatal(err)
		}
		note := len(rows) + 2
		wb.SetCellStr(catalogio.SheetItems, fmt.Sprintf("A%d", note), "注：资源代码须与“目录”工作表一致")
		for r := note + 1; r <= note+150; r++ {
			wb.SetCellStr(catalogio.SheetItems, fmt.Sprintf("A%d", r), rows[len(rows)-1][0])
		}
		var buf bytes.Buffer
		if err := wb.Write(&buf); err != nil {
			t.Fatal(err)
		}
		r := c.upload("/catalog/import", tok, "目录.xlsx", buf.Bytes(), "dry_run", "yes")
		wantStatus(t, "note row", r, http.StatusOK)
		wantBody(t, "note row", r, "试导入，未保存任何数据", `id="import-skipped"`,
			fmt.Sprintf("<td>信息项</td><td class=\"num\">%d</td><td>该行没有信息项的值", note), "注：资源代码须与“目录”工作表一致",
			`跳过的行 <span class="count">151</span> <span class="muted small">列出前 100 行</span>`)
		if n := strings.Count(r.Body, "<td>该行没有信息项的值"); n != 100 {
			t.Errorf("%d rows skipped listed, want 100", n)
		}
	})
}
