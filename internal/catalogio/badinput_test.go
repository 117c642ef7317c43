package catalogio_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// csvHeader is the flat CSV layout: entry columns, then item columns.
const csvHeader = "资源名称,资源代码,提供部门,摘要,资源分类(类),项代码,项名称,目代码,目名称,细目代码,细目名称,资源格式,共享类型,共享条件,不予共享依据,共享方式,共享范围,开放属性,开放条件,更新周期,更新周期说明,时效要求,安全级别,网络环境,所属领域,领域说明,数据主体,关联事项,关联资源代码,信息项名称,数据类型,长度,是否主体标识,说明\n"

// good is a valid flat row of one entry with one item.
func good(name string) string {
	return name + ",,,摘要,部门信息资源,01,综合,001,登记,,,电子表格,无条件共享,,,信息查询接口,全区,不予开放,,每年,,,1,政务外网,公共安全,,不涉及,,,编号,C,20,否,\n"
}

// TestBadRows: every bad row is reported with its number, field and reason,
// and nothing is imported unless good rows only are asked for.
func TestBadRows(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := csvHeader + good("好行一") +
			strings.Replace(good("领域错误"), "公共安全", "", 1) + // row 3: missing domain
			strings.Replace(good("类型错误"), ",C,20,", ",X,20,", 1) + // row 4: unknown data type
			strings.Replace(good("不予共享"), "无条件共享,,,信息查询接口", "不予共享,,,", 1) + // row 5: no legal basis
			good("好行二")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{})
		if e := errs.As(err); e == nil || e.Code != "import_rejected" || !catalogio.Rejected(err) {
			t.Fatalf("got err %v, want import_rejected", err)
		}
		if rep.Imported || len(resourcesOf(t, w, w.gaj)) != 0 {
			t.Fatalf("a rejected import stored entries")
		}
		// Another department's import is refused, not rejected: its report
		// says nothing about the rows.
		_, err = catalogio.Import(context.Background(), w.db, w.gaj, strings.NewReader(file), catalogio.CSV,
			catalogio.Options{DepartmentID: w.scjID})
		if !errs.Is(err, errs.Forbidden) || catalogio.Rejected(err) {
			t.Errorf("import for another department: got err %v (rejected %v), want forbidden, not rejected", err, catalogio.Rejected(err))
		}
		type key struct {
			row   int
			field string
		}
		got := map[key]string{}
		for _, e := range rep.Errors {
			got[key{e.Row, e.Field}] = e.Code
		}
		want := map[key]string{
			{3, "domain"}:      "invalid_domain",
			{4, "item.type"}:   "unknown_value",
			{5, "legal_basis"}: "legal_basis_required",
		}
		for k, code := range want {
			if got[k] != code {
				t.Errorf("row %d field %s: got %q, want %q (all: %v)", k.row, k.field, got[k], code, rep.Errors)
			}
		}
		if rep.RowsWithErrors != 3 || rep.Rows != 5 {
			t.Errorf("got %d rows with errors of %d, want 3 of 5", rep.RowsWithErrors, rep.Rows)
		}
		for _, e := range rep.Errors {
			if e.Row == 0 || e.Message == "" || e.Column == "" {
				t.Errorf("error without row, column or message: %+v", e)
			}
		}

		// Dry run of the good rows: reports, stores nothing.
		rep, err = importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{GoodOnly: true, DryRun: true})
		if err != nil || rep.Created != 2 || rep.Imported || len(resourcesOf(t, w, w.gaj)) != 0 {
			t.Fatalf("dry run: got created=%d imported=%v err=%v", rep.Created, rep.Imported, err)
		}
		// Good rows only, submitted right away.
		rep, err = importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{GoodOnly: true, Submit: true})
		if err != nil || rep.Created != 2 || rep.Submitted != 2 || !rep.Imported {
			t.Fatalf("good only: got created=%d submitted=%d err=%v", rep.Created, rep.Submitted, err)
		}
		if len(rep.Errors) == 0 {
			t.Errorf("good-only import dropped the bad rows' errors")
		}
		if got := resourcesOf(t, w, w.gaj); len(got) != 2 {
			t.Errorf("got %d entries, want 2", len(got))
		}
	})
}

func TestBadFiles(t *testing.T) {
	w := newWorld(t, sqldbtest.SQLite(t))
	wb := func(build func(f *excelize.File)) []byte {
		f := excelize.NewFile()
		build(f)
		var b bytes.Buffer
		if _, err := f.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	tests := []struct {
		name   string
		format catalogio.Format
		data   []byte
		code   string
	}{
		{"not a workbook", catalogio.XLSX, []byte("PK\x03\x04 garbage"), "malformed_workbook"},
		{"empty csv", catalogio.CSV, nil, "empty_file"},
		{"no name column", catalogio.CSV, []byte("foo,bar\n1,2\n"), "missing_column"},
		{"bad quotes", catalogio.CSV, []byte("资源名称,摘要\n\"a,b\n"), "malformed_csv"},
		{"bad json", catalogio.JSONL, []byte("{\"name\": 1}\n"), "malformed_json"},
		{"unknown json field", catalogio.JSONL, []byte("{\"nme\": \"x\"}\n"), "malformed_json"},
		{"missing item sheet", catalogio.XLSX, wb(func(f *excelize.File) {
			f.SetSheetName("Sheet1", "目录")
			f.SetSheetRow("目录", "A1", &[]any{"资源名称", "摘要"})
			f.SetSheetRow("目录", "A2", &[]any{"甲项", "乙项"})
		}), "missing_sheet"},
		{"orphan item", catalogio.XLSX, wb(func(f *excelize.File) {
			f.SetSheetName("Sheet1", "目录")
			f.SetSheetRow("目录", "A1", &[]any{"资源名称", "摘要"})
			f.SetSheetRow("目录", "A2", &[]any{"甲项", "乙项"})
			f.NewSheet("信息项")
			f.SetSheetRow("信息项", "A1", &[]any{"资源名称", "信息项名称", "数据类型"})
			f.SetSheetRow("信息项", "A3", &[]any{"丙项", "编号", "C"})
		}), "unknown_entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := importFile(w, w.gaj, tt.data, tt.format, catalogio.Options{})
			if e := errs.As(err); e == nil || e.Code != "import_rejected" {
				t.Fatalf("got err %v, want import_rejected", err)
			}
			found := false
			for _, e := range rep.Errors {
				found = found || e.Code == tt.code
			}
			if !found {
				t.Errorf("got errors %v, want one with code %s", rep.Errors, tt.code)
			}
		})
	}
	// The orphan item row is reported on its own sheet row.
	rep, _ := importFile(w, w.gaj, tests[len(tests)-1].data, catalogio.XLSX, catalogio.Options{})
	for _, e := range rep.Errors {
		if e.Code == "unknown_entry" && (e.Sheet != "信息项" || e.Row != 3) {
			t.Errorf("orphan item reported at %s row %d, want 信息项 row 3", e.Sheet, e.Row)
		}
	}
}

// TestEncodings: CSV from Excel in UTF-8 with BOM and in GB18030 reads the same.
func TestEncodings(t *testing.T) {
	w := newWorld(t, sqldbtest.SQLite(t))
	plain := csvHeader + good("户籍人口")
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(plain)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"utf8": plain, "bom": "\ufeff" + plain, "gb18030": gb} {
		rep, err := importFile(w, w.gaj, []byte(data), catalogio.CSV, catalogio.Options{DryRun: true})
		if err != nil || rep.Created != 1 || rep.Entries[0].Name != "户籍人口" {
			t.Errorf("%s: got created=%d entries=%v err=%v", name, rep.Created, rep.Entries, err)
		}
	}
}

// TestProviders: the 提供部门 column is matched by exact name or exact short
// name only; any other value, however much of a department's name it
// shares (公安局南海分局, 纳溪区市监局 of another district, 公安局), is
// unknown and its row refused; another department's rows are refused.
func TestProviders(t *testing.T) {
	w := newWorld(t, sqldbtest.SQLite(t))
	row := func(name, provider string) string {
		return strings.Replace(good(name), name+",,,", name+",,"+provider+",", 1)
	}
	file := csvHeader + row("一项", "佛山市公安局南海分局") + row("二项", "南海公安分局") + row("三项", "公安局南海分局") +
		row("四项", "区市监局") + row("五项", "某某局") + row("六项", "厦门市南海公安分局") + row("七项", "公安局") +
		row("八项", " 佛山市公安局 南海分局 ")
	rep, _ := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
	match := map[string]string{}
	for _, p := range rep.Providers {
		match[p.Value] = p.Match
		if p.Match == "unknown" && p.DepartmentID != 0 {
			t.Errorf("provider %s: unknown but matched to department %d", p.Value, p.DepartmentID)
		}
	}
	want := map[string]string{"佛山市公安局南海分局": "exact", "南海公安分局": "short_name", "公安局南海分局": "unknown",
		"区市监局": "short_name", "某某局": "unknown", "厦门市南海公安分局": "unknown", "公安局": "unknown",
		"佛山市公安局 南海分局": "exact"}
	for v, m := range want {
		if match[v] != m {
			t.Errorf("provider %s: got %q, want %s", v, match[v], m)
		}
	}
	bad := map[int]string{}
	for _, e := range rep.Errors {
		bad[e.Row] = e.Code
	}
	wantBad := map[int]string{4: "unknown_provider", 5: "other_provider", 6: "unknown_provider", 7: "unknown_provider",
		8: "unknown_provider"}
	if len(bad) != len(wantBad) {
		t.Errorf("got errors %v, want %v", bad, wantBad)
	}
	for r, c := range wantBad {
		if bad[r] != c {
			t.Errorf("row %d: got %q, want %s", r, bad[r], c)
		}
	}
	rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true, AnyProvider: true})
	if err != nil || rep.Created != 8 {
		t.Errorf("any provider: got created=%d err=%v, want 8", rep.Created, err)
	}

	// Another district's department whose name holds the importer's short
	// name is not the importer's: its row is not taken in silently.
	rep, _ = importFile(w, w.scj, []byte(csvHeader+row("九项", "纳溪区市监局")), catalogio.CSV, catalogio.Options{DryRun: true})
	if len(rep.Errors) != 1 || rep.Errors[0].Code != "unknown_provider" || rep.Created != 0 {
		t.Errorf("纳溪区市监局 imported by 区市监局: got created=%d errors=%v, want unknown_provider", rep.Created, rep.Errors)
	}
}

// TestProvidersAmbiguous: a short name that two departments of the
// importing department's region have (as a database from before
// department_name_confusable may hold: stored here by SQL, its key as the
// upgrade writes it, org.RekeyDepartments) names neither,
// unless one of them imports: the row is refused rather than given to the
// first; the importing department may write its own short name. Two of
// other regions: TestProvidersSharedShortName.
func TestProvidersAmbiguous(t *testing.T) {
	w := newWorld(t, sqldbtest.SQLite(t))
	sys := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
	err := w.db.Tx(context.Background(), func(tx *sqldb.Tx) error {
		d := org.Department{Name: "南海区公安分局", USCC: demo.USCC("440605", 9), RegionCode: "440605"}
		if err := org.CreateDepartment(context.Background(), tx, sys, &d, t0); err != nil {
			return err
		}
		_, err := tx.ExecContext(context.Background(), `UPDATE departments SET short_name = '南海公安分局' WHERE id = $1`, d.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := org.RekeyDepartments(context.Background(), w.db); err != nil {
		t.Fatal(err)
	}
	file := csvHeader + strings.Replace(good("一项"), "一项,,,", "一项,,南海公安分局,", 1)
	rep, _ := importFile(w, w.scj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
	if len(rep.Providers) != 1 || rep.Providers[0].Match != "ambiguous" || rep.Providers[0].DepartmentID != 0 {
		t.Errorf("got providers %+v, want 南海公安分局 ambiguous", rep.Providers)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Code != "ambiguous_provider" {
		t.Errorf("got errors %v, want ambiguous_provider", rep.Errors)
	}
	rep, _ = importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
	if len(rep.Providers) != 1 || rep.Providers[0].Match != "short_name" || rep.Providers[0].DepartmentID != w.gajID {
		t.Errorf("imported by 佛山市公安局南海分局: providers %+v, want 南海公安分局 its own short name", rep.Providers)
	}
	if len(rep.Errors) != 0 {
		t.Errorf("imported by 佛山市公安局南海分局: errors %v, want none", rep.Errors)
	}
}

// TestOtherProviderMessage: a row of another department's says which
// department the file names and which one the import is for, not that a
// department is itself (数源部门“X”是X).
func TestOtherProviderMessage(t *testing.T) {
	w := newWorld(t, sqldbtest.SQLite(t))
	row := func(name, provider string) string {
		return strings.Replace(good(name), name+",,,", name+",,"+provider+",", 1)
	}
	file := csvHeader + row("一项", "南海区市场监督管理局") + row("二项", "区市监局")
	rep, _ := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
	want := map[int]string{
		2: "文件中此行的数源部门是南海区市场监督管理局，本次导入的是佛山市公安局南海分局的目录：只能导入本部门的数据资源；确要作为本部门的数据资源导入的，请选择“不限数源部门”",
		3: "文件中此行的数源部门“区市监局”是南海区市场监督管理局，本次导入的是佛山市公安局南海分局的目录：只能导入本部门的数据资源；确要作为本部门的数据资源导入的，请选择“不限数源部门”",
	}
	if len(rep.Errors) != len(want) {
		t.Fatalf("errors %v, want one per row", rep.Errors)
	}
	for _, e := range rep.Errors {
		if e.Code != "other_provider" || e.Message != want[e.Row] {
			t.Errorf("row %d: %s %q, want other_provider %q", e.Row, e.Code, e.Message, want[e.Row])
		}
	}
}

// TestUpdateByCode: a row with the code of an entry of the department
// updates it; another department's code is refused.
func TestUpdateByCode(t *testing.T) {
	w := newWorld(t, sqldbtest.SQLite(t))
	rs := resources()
	mine := create(t, w, w.gaj, rs[0])
	rs[1].RelatedCodes = nil // codes of no entry here, which its submission refuses
	theirs := create(t, w, w.scj, rs[1])
	// Published, so that the police can see it.
	err := w.db.Tx(context.Background(), func(tx *sqldb.Tx) error {
		if _, err := catalog.Submit(context.Background(), tx, w.scj, theirs.ID, t0); err != nil {
			return err
		}
		_, err := catalog.Approve(context.Background(), tx, w.operator, theirs.ID, t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	data := export(t, w, w.gaj, catalogio.CSV, catalogio.ExportOptions{DepartmentID: w.gajID})
	edited := strings.ReplaceAll(string(data), "全区政务部门", "全市政务部门")
	rep, err := importFile(w, w.gaj, []byte(edited), catalogio.CSV, catalogio.Options{})
	if err != nil || rep.Updated != 1 || rep.Created != 0 {
		t.Fatalf("got updated=%d created=%d err=%v, want 1 updated", rep.Updated, rep.Created, err)
	}
	if got := resourcesOf(t, w, w.gaj)[mine.Name].ShareScope; got != "全市政务部门" {
		t.Errorf("share scope after update: got %s", got)
	}
	other := strings.ReplaceAll(string(data), mine.Code, theirs.Code)
	rep, _ = importFile(w, w.gaj, []byte(other), catalogio.CSV, catalogio.Options{})
	if rep.ErrorCounts["code_of_other_department"] != 1 {
		t.Errorf("got errors %v, want code_of_other_department", rep.Errors)
	}
}

// TestControlCharacters: NUL and other control characters in cells (CSV)
// or fields (JSON lines, where \u0000 decodes to NUL) are row errors on
// both engines, never a database error; tabs and line breaks in long texts
// are kept.
func TestControlCharacters(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := csvHeader + good("好行") +
			strings.Replace(good("摘要有NUL"), ",摘要,", ",摘\x00要,", 1) + // row 3
			strings.Replace(good("信息项有ESC"), ",编号,", ",编\x1b号,", 1) + // row 4
			strings.Replace(good("代码有NUL"), "代码有NUL,,", "代码有NUL,301001/00\x000001,", 1) + // row 5
			strings.Replace(good("多行摘要"), ",摘要,", ",\"第一行\n第二行\t续\",", 1) // rows 6–7
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{GoodOnly: true})
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		got := map[int]string{}
		for _, e := range rep.Errors {
			got[e.Row] = e.Field + " " + e.Code
		}
		want := map[int]string{3: "abstract invalid_characters", 4: "items[0].name invalid_characters", 5: "code invalid_characters"}
		if len(got) != len(want) || got[3] != want[3] || got[4] != want[4] || got[5] != want[5] {
			t.Errorf("got errors %v, want %v", got, want)
		}
		if rep.Created != 2 || resourcesOf(t, w, w.gaj)["多行摘要"].Abstract != "第一行\n第二行\t续" {
			t.Errorf("created %d, abstract %q", rep.Created, resourcesOf(t, w, w.gaj)["多行摘要"].Abstract)
		}

		line := `{"name":"JSON有NUL","abstract":"摘\u0000要","classification":{"class":"departmental","category_code":"01",` +
			`"category_name":"综合","subcategory_code":"001","subcategory_name":"登记"},"format":"spreadsheet",` +
			`"items":[{"name":"编号","type":"C","length":20}],"share_type":"unconditional","share_methods":["query"],` +
			`"share_scope":"全区","open_attribute":"closed","update_frequency":"yearly","security_level":1,` +
			`"network_zone":"egov_extranet","domain":"18","subject_kind":"none"}` + "\n"
		rep, err = importFile(w, w.gaj, []byte(line), catalogio.JSONL, catalogio.Options{})
		if e := errs.As(err); e == nil || e.Code != "import_rejected" || len(rep.Errors) != 1 || rep.ErrorCounts["invalid_characters"] != 1 {
			t.Errorf("JSON line with NUL: got %v, errors %v", err, rep.Errors)
		}
		if _, err := catalogio.MappingByName(context.Background(), w.db.Read(), w.gajID, "映射\x00"); !errs.Is(err, errs.NotFound) {
			t.Errorf("mapping by a name with NUL: got %v, want not found", err)
		}
		err = w.db.Tx(context.Background(), func(tx *sqldb.Tx) error {
			_, err := catalogio.SaveMapping(context.Background(), tx, w.gaj,
				catalogio.Mapping{Name: "映射\x00", Columns: map[string]string{"名称": "name"}}, t0)
			return err
		})
		if e := errs.As(err); e == nil || e.Code != "invalid_characters" {
			t.Errorf("save a mapping named with NUL: got %v, want invalid_characters", err)
		}
	})
}

// TestRevisionPending: a file carries the version in force. Importing a
// department's own export again leaves a revision in progress alone; a
// changed row for an entry with a pending revision is refused instead of
// overwriting the revision.
func TestRevisionPending(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		rs := resources()
		e := create(t, w, w.gaj, rs[0])
		create(t, w, w.gaj, rs[2])
		err := w.db.Tx(ctx, func(tx *sqldb.Tx) error {
			if _, err := catalog.Submit(ctx, tx, w.gaj, e.ID, t0); err != nil {
				return err
			}
			_, err := catalog.Approve(ctx, tx, w.operator, e.ID, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		data := export(t, w, w.gaj, catalogio.CSV, catalogio.ExportOptions{DepartmentID: w.gajID})
		revision := rs[0]
		revision.Abstract = "修订中的摘要"
		err = w.db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := catalog.Update(ctx, tx, w.gaj, e.ID, revision, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		working := func() string {
			t.Helper()
			got, err := catalog.Working(ctx, w.db.Read(), w.gaj, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.Abstract
		}
		rep, err := importFile(w, w.gaj, data, catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Unchanged != 2 || rep.Updated != 0 || working() != "修订中的摘要" {
			t.Errorf("re-import of the export: unchanged %d updated %d err %v, revision %q", rep.Unchanged, rep.Updated, err, working())
		}
		edited := strings.ReplaceAll(string(data), "全区政务部门", "全市政务部门")
		rep, err = importFile(w, w.gaj, []byte(edited), catalogio.CSV, catalogio.Options{GoodOnly: true})
		if err != nil || rep.ErrorCounts["revision_pending"] != 1 || rep.Updated != 0 || working() != "修订中的摘要" {
			t.Errorf("changed row over a revision: errors %v updated %d err %v, revision %q", rep.Errors, rep.Updated, err, working())
		}
		for _, r := range rep.Errors {
			if r.Code == "revision_pending" && (r.Row != 5 || r.Column != "资源代码") { // after 在逃人员信息's 3 rows
				t.Errorf("revision_pending reported at row %d column %s", r.Row, r.Column)
			}
		}
		// A file holding the revision itself changes nothing either.
		same := strings.ReplaceAll(string(data), "\"辖区户籍人口的身份、户籍地址和变动情况，\n含迁入迁出\"", "修订中的摘要")
		rep, err = importFile(w, w.gaj, []byte(same), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Unchanged != 2 {
			t.Errorf("import of the revision: unchanged %d err %v errors %v", rep.Unchanged, err, rep.Errors)
		}
	})
}

// TestFlatRowsOfTwoEntries: in a flat file, a row that continues an entry
// (same code, or same name without codes) but holds different entry values
// is an error of that entry, never merged into it with its values dropped.
func TestFlatRowsOfTwoEntries(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		second := strings.Replace(strings.Replace(good("同名资源"), ",摘要,", ",另一条资源的摘要,", 1), ",编号,", ",名称,", 1)
		merged := ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,备注,C,50,否,\n" // entry cells left blank, as under merged cells
		// Rows 2–3: two entries of one name; 4–5: one entry of two items;
		// 6–7: one entry, its values repeated as the export writes them.
		file := csvHeader + good("同名资源") + second + good("好行") + merged +
			good("好行二") + strings.Replace(good("好行二"), ",编号,", ",名称,", 1)
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{GoodOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Errors) != 1 || rep.Errors[0].Row != 3 || rep.Errors[0].Field != "abstract" ||
			rep.Errors[0].Code != "conflicting_entry_values" || rep.Errors[0].Column != "摘要" {
			t.Fatalf("errors %v, want conflicting_entry_values on row 3 摘要", rep.Errors)
		}
		if rep.RowsWithErrors != 1 || rep.Created != 2 || rep.Entries[0].Action != "failed" {
			t.Errorf("rows with errors %d, created %d, entries %+v", rep.RowsWithErrors, rep.Created, rep.Entries)
		}
		got := resourcesOf(t, w, w.gaj)
		if len(got["好行"].Items) != 2 || len(got["好行二"].Items) != 2 {
			t.Errorf("items %+v / %+v, want 2 each", got["好行"].Items, got["好行二"].Items)
		}
		// With distinct codes the two are two entries.
		coded := strings.Replace(good("同名资源"), "同名资源,,", "同名资源,301001/000101,", 1) +
			strings.Replace(second, "同名资源,,", "同名资源,301001/000102,", 1)
		rep, err = importFile(w, w.gaj, []byte(csvHeader+coded), catalogio.CSV, catalogio.Options{DryRun: true})
		if err != nil || rep.Created != 2 {
			t.Errorf("two coded entries of one name: created %d, err %v, errors %v", rep.Created, err, rep.Errors)
		}
	})
}

// TestExportUnknownStatus: a misspelt status is an error, not an empty file.
func TestExportUnknownStatus(t *testing.T) {
	w := newWorld(t, sqldbtest.SQLite(t))
	create(t, w, w.gaj, resources()[0])
	for _, s := range []catalog.Status{"publshed", "superseded", ""} {
		var buf bytes.Buffer
		n, err := catalogio.Export(context.Background(), w.db, w.gaj, &buf, catalogio.CSV,
			catalogio.ExportOptions{Statuses: []catalog.Status{catalog.Draft, s}})
		if e := errs.As(err); e == nil || e.Code != "invalid_status" || e.Field != "status" || n != 0 || buf.Len() != 0 {
			t.Errorf("status %q: exported %d (%d bytes), err %v; want invalid_status", s, n, buf.Len(), err)
		}
	}
}

// TestNormaliseRealValues: values as real open-data catalogs write them.
// A cell of several domains keeps the first that maps (reported), every
// three months is quarterly, and item names keep their bracketed lists.
func TestNormaliseRealValues(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := "resource_name,description,domain,update_frequency,data_items\n" +
			"医疗广告审查,医疗广告审查证明,\"金融财税，工业商贸，教育科技\",每 3 月,床位数|广告时长(影视、声音)|日期\n" +
			"科技教育统计,统计数据,文化教育,每三个月,项目（名称、编号）、金额\n"
		m := &catalogio.Mapping{Defaults: map[string]string{"资源分类(类)": "部门信息资源", "项代码": "01", "项名称": "开放数据",
			"目代码": "001", "目名称": "开放目录", "资源格式": "电子表格", "共享类型": "无条件共享", "共享方式": "文件下载交换",
			"共享范围": "全区", "开放属性": "不予开放", "安全级别": "1", "网络环境": "政务外网", "数据主体": "不涉及", "数据类型": "C",
			"长度": "50"}}
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{Mapping: m})
		if err != nil {
			t.Fatalf("import: %v %v", err, rep.Errors)
		}
		got := resourcesOf(t, w, w.gaj)
		ad, stats := got["医疗广告审查"], got["科技教育统计"]
		if ad.Domain != "19" || ad.UpdateFrequency != "quarterly" || stats.Domain != "05" || stats.UpdateFrequency != "quarterly" {
			t.Errorf("domains %s %s, frequencies %s %s; want 19 05, quarterly", ad.Domain, stats.Domain, ad.UpdateFrequency, stats.UpdateFrequency)
		}
		var items []string
		for _, it := range append(ad.Items, stats.Items...) {
			items = append(items, it.Name)
		}
		if strings.Join(items, " ") != "床位数 广告时长(影视、声音) 日期 项目（名称、编号） 金额" {
			t.Errorf("items %q", items)
		}
		several := false
		for _, c := range rep.Changes {
			several = several || c.Field == "domain" && c.Reason == "多值取一" && c.From == "金融财税，工业商贸，教育科技" && c.To == "财税金融"
		}
		if !several {
			t.Errorf("changes %+v: want the multi-valued domain reported", rep.Changes)
		}
	})
}

// TestUnknownDomain: a domain that is none of the 22 and not 其他 (火星, or a
// cell none of whose values maps) is an error of its row, as issue 3's bad
// input says, and nothing is imported; it is not turned into 其他 and
// reported as a synonym. 其他 with 领域说明 is how the file says it, and a
// mapping cannot default to an unknown domain either.
func TestUnknownDomain(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := csvHeader + strings.Replace(good("火星数据"), ",公共安全,,", ",火星,,", 1) +
			strings.Replace(good("多值数据"), ",公共安全,,", ",\"火星，木星\",,", 1) + good("好行")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{})
		if e := errs.As(err); e == nil || e.Code != "import_rejected" {
			t.Fatalf("got err %v, want import_rejected", err)
		}
		if rep.RowsWithErrors != 2 || len(resourcesOf(t, w, w.gaj)) != 0 {
			t.Errorf("rows with errors %d, entries %d; want 2 and nothing imported (%v)",
				rep.RowsWithErrors, len(resourcesOf(t, w, w.gaj)), rep.Errors)
		}
		for _, row := range []int{2, 3} {
			found := false
			for _, e := range rep.Errors {
				found = found || e.Row == row && e.Field == "domain" && e.Code == "unknown_value" &&
					strings.Contains(e.Message, "无法识别") && strings.Contains(e.Message, "其他")
			}
			if !found {
				t.Errorf("row %d: no unknown_value error at domain: %v", row, rep.Errors)
			}
		}
		for _, c := range rep.Changes {
			if c.Field == "domain" {
				t.Errorf("domain reported as a change: %+v", c)
			}
		}

		file = csvHeader + strings.Replace(good("火星数据"), ",公共安全,,", ",其他,火星,", 1)
		rep, err = importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 1 || len(rep.Changes) != 0 {
			t.Fatalf("其他 with 领域说明: created %d, changes %v, err %v %v", rep.Created, rep.Changes, err, rep.Errors)
		}
		if r := resourcesOf(t, w, w.gaj)["火星数据"]; r.Domain != catalog.DomainOther || r.DomainOther != "火星" {
			t.Errorf("domain %q %q, want 99 火星", r.Domain, r.DomainOther)
		}

		m := catalogio.Mapping{Name: "默认火星", Defaults: map[string]string{"所属领域": "火星"}}
		err = w.db.Tx(context.Background(), func(tx *sqldb.Tx) error {
			_, err := catalogio.SaveMapping(context.Background(), tx, w.gaj, m, t0)
			return err
		})
		if e := errs.As(err); e == nil || e.Code != "invalid_default" || e.Field != "defaults.domain" {
			t.Errorf("mapping defaulting to 火星: %v, want invalid_default at defaults.domain", err)
		}
	})
}
