package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// mustMarketBureau creates 南海区 (mustNanhai) and its department
// 南海区市场监督管理局 (区市监局) in the database dsn names, and returns the
// command line's variables and a runner that fails the test on an error.
func mustMarketBureau(t *testing.T, dsn string) (map[string]string, func(args ...string) string) {
	vars := map[string]string{"HUTONG_DB": dsn}
	must := mustHutong(t, vars)
	mustNanhai(must)
	must("org", "department-create", "-name", "南海区市场监督管理局", "-short", "区市监局", "-uscc", "11440605MB2C9235XX", "-region", "440605")
	return vars, must
}

func TestImportExportCatalog(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars, must := mustMarketBureau(t, dsn)
		dir := t.TempDir()
		in := filepath.Join(dir, "in.csv")
		csv := "resource_name,description,update_frequency,open_attribute,data_items,domain\n" +
			"营业执照登记信息,市场主体登记,每天,依申请开放,统一社会信用代码、名称,市场监督\n" +
			"食品经营许可,许可信息,月度,不开放,许可证编号,暂无\n"
		if err := os.WriteFile(in, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		defaults := []string{"-default", "资源分类(类)=部门信息资源", "-default", "项代码=01", "-default", "项名称=市场监管",
			"-default", "目代码=001", "-default", "目名称=登记", "-default", "共享类型=有条件共享", "-default", "共享条件=依申请",
			"-default", "共享方式=查询", "-default", "共享范围=全区", "-default", "安全级别=2", "-default", "网络环境=政务外网",
			"-default", "数据主体=法人", "-default", "数据类型=C", "-default", "长度=100", "-default", "资源格式=数据库"}
		args := append([]string{"import", "catalog", "-file", in, "-department", "区市监局", "-save-mapping", "市监"}, defaults...)
		out, err := hutong(t, vars, args...)
		if !errors.Is(err, errReported) || !strings.Contains(out, "第 3 行 domain：所属领域应为22个领域之一") || !strings.Contains(out, "未导入任何数据") {
			t.Fatalf("bad row: got %v\n%s", err, out)
		}
		// The mapping of a refused file is saved, and the line says the
		// data was not imported.
		for _, want := range []string{"更新周期：每天 → 每日", "所属领域：市场监督 → 市场监管",
			"已保存列映射“市监”（6 列，15 个默认值），但数据未导入：修正文件后可用 -mapping '市监' 再导入"} {
			if !strings.Contains(out, want) {
				t.Errorf("report lacks %q:\n%s", want, out)
			}
		}
		out = must("import", "catalog", "-file", in, "-department", "区市监局", "-mapping", "市监", "-good-only", "-submit")
		if !strings.Contains(out, "新建 1 个") || !strings.Contains(out, "已提交审核 1 个") {
			t.Errorf("good rows: %s", out)
		}
		xlsx := filepath.Join(dir, "out.xlsx")
		if out := must("export", "catalog", "-o", xlsx, "-department", "区市监局"); !strings.Contains(out, "已导出 1 个数据资源到 "+xlsx) {
			t.Errorf("export: %s", out)
		}
		out = must("import", "catalog", "-file", xlsx, "-department", "区市监局", "-dry-run", "-save-mapping", "试")
		if !strings.Contains(out, "将新建 0 个，更新 0 个，未变 1 个") ||
			!strings.Contains(out, "未保存列映射“试”：-dry-run 不保存任何数据") || strings.Contains(out, "已保存") {
			t.Errorf("re-import: %s", out)
		}
		// -dry-run stored no mapping.
		if out, err := hutong(t, vars, "import", "catalog", "-file", xlsx, "-department", "区市监局", "-dry-run", "-mapping", "试"); err == nil {
			t.Errorf("the mapping of a dry run was saved:\n%s", out)
		}
	})
}

// TestImportCatalogNotAWorkbook: a file that is no workbook is reported in
// Chinese, without the zip reader's English, and without the offer of
// -good-only, which would import nothing.
func TestImportCatalogNotAWorkbook(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "h.db")}
	must := mustHutong(t, vars)
	must("migrate")
	mustNanhai(must)
	must("org", "department-create", "-name", "南海区市场监督管理局", "-short", "区市监局", "-uscc", "11440605MB2C9235XX", "-region", "440605")
	in := tempFile(t, "in.xlsx", "资源名称,摘要\n营业执照,登记信息\n")
	out, err := hutong(t, vars, "import", "catalog", "-file", in, "-department", "区市监局")
	if !errors.Is(err, errReported) || !strings.Contains(out, "文件：文件不是 XLSX 工作簿") ||
		!strings.Contains(out, "未导入任何数据：文件有 1 处问题。修正后重新导入\n") {
		t.Errorf("not a workbook: got %v\n%s", err, out)
	}
	for _, bad := range []string{"zip", "good-only"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q:\n%s", bad, out)
		}
	}
}

func TestExportCatalogUnknownStatus(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "h.db")}
	mustHutong(t, vars)("migrate")
	out := filepath.Join(t.TempDir(), "out.csv")
	got, err := hutong(t, vars, "export", "catalog", "-o", out, "-status", "publshed")
	if e := errs.As(err); e == nil || e.Code != "invalid_status" {
		t.Errorf("export -status publshed: got %v\n%s", err, got)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("export with a bad status wrote %s (%v)", out, err)
	}
}

// TestCatalogRoundTripPerDepartment: one department's export imports back
// into it unchanged; the whole catalog's export, imported by a department,
// is refused for the other departments' entries with one error each and
// the advice to export the department's own entries.
func TestCatalogRoundTripPerDepartment(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		mustNanhai(must)
		must("org", "department-create", "-name", "南海区市场监督管理局", "-short", "区市监局", "-uscc", demo.USCC("440605", 1), "-region", "440605")
		must("org", "department-create", "-name", "南海区民政局", "-short", "区民政局", "-uscc", demo.USCC("440605", 2), "-region", "440605")
		dir := t.TempDir()
		header := "资源名称,提供部门,摘要,资源分类(类),项代码,项名称,目代码,目名称,资源格式,共享类型,共享方式,共享范围,开放属性,更新周期,安全级别,网络环境,所属领域,数据主体,信息项名称,数据类型,长度\n"
		row := ",摘要,部门信息资源,01,综合,001,登记,电子表格,无条件共享,信息查询接口,全区,不予开放,每年,1,政务外网,公共安全,不涉及,编号,C,20\n"
		for i, d := range []string{"南海区市场监督管理局", "南海区民政局"} {
			in := filepath.Join(dir, fmt.Sprintf("in%d.csv", i))
			if err := os.WriteFile(in, []byte(header+"登记信息"+strconv.Itoa(i)+","+d+row), 0o644); err != nil {
				t.Fatal(err)
			}
			must("import", "catalog", "-file", in, "-department", d, "-submit")
		}
		// Published, so that each department sees the other's entry.
		db, err := sqldb.Open(context.Background(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		op := catalog.Actor{Actor: cliActor(&env{Getenv: func(string) string { return "" }}), Operator: true}
		for _, id := range []int64{1, 2} {
			err := db.Tx(context.Background(), func(tx *sqldb.Tx) error {
				_, err := catalog.Approve(context.Background(), tx, op, id, time.Now())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}

		own := filepath.Join(dir, "own.csv")
		must("export", "catalog", "-format", "csv", "-o", own, "-department", "区市监局")
		if out := must("import", "catalog", "-file", own, "-department", "区市监局", "-dry-run"); !strings.Contains(out, "将新建 0 个，更新 0 个，未变 1 个") {
			t.Errorf("one department's export imported back:\n%s", out)
		}

		all := filepath.Join(dir, "all.csv")
		must("export", "catalog", "-format", "csv", "-o", all)
		out, err := hutong(t, vars, "import", "catalog", "-file", all, "-department", "区市监局", "-dry-run")
		if !errors.Is(err, errReported) {
			t.Fatalf("whole catalog imported by a department: %v\n%s", err, out)
		}
		for _, want := range []string{"共 1 处问题",
			"资源代码：资源代码“" + "301001/000002" + "”的数据资源属于南海区民政局，本次导入的是南海区市场监督管理局的目录",
			"文件中有 1 个其他部门的数据资源：导入只更新本部门的目录。请用 hutong export catalog -department 1 只导出本部门的目录，其导入原样读回"} {
			if !strings.Contains(out, want) {
				t.Errorf("whole catalog imported by a department: output lacks %q:\n%s", want, out)
			}
		}
	})
}

// TestImportCatalogMappingCheckedFirst: the columns of -map and the
// defaults of -default are checked as the API checks an inline mapping
// (catalogio.Mapping.Check), before the file is read or the department
// looked up: a missing file or unknown department does not hide a bad
// mapping. The message names the flag and the field.
func TestImportCatalogMappingCheckedFirst(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		missing := filepath.Join(t.TempDir(), "missing.csv")
		for _, tc := range []struct {
			flag, value, code, want string
		}{
			{"-map", "a=资源类别", "unknown_field", "-map：列“a”对应的字段“资源类别”不存在"},
			{"-default", "资源分类=部门信息资源", "unknown_field", "-default：没有名为“资源分类”的字段；可设默认值的字段："},
			{"-default", "资源名称=登记信息", "default_not_allowed", "-default：字段“资源名称”不能设默认值"},
			{"-default", "网络环境=火星网", "invalid_default", "-default：默认值无法使用：网络环境“火星网”无法识别"},
		} {
			out, err := hutong(t, vars, "import", "catalog", "-file", missing, "-department", "无此部门", "-dry-run", tc.flag, tc.value)
			if e := errs.As(err); e == nil || e.Code != tc.code {
				t.Errorf("%s %s: got %v, want %s\n%s", tc.flag, tc.value, err, tc.code, out)
				continue
			}
			if got := message(err); !strings.HasPrefix(got, tc.want) {
				t.Errorf("%s %s: message %q, want it to start with %q", tc.flag, tc.value, got, tc.want)
			}
		}
	})
}

// TestImportCatalogNoDataRows: a file of a header only is a problem of the
// file: the command says so and exits non-zero, a dry run too.
func TestImportCatalogNoDataRows(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		mustNanhai(must)
		must("org", "department-create", "-name", "南海区市场监督管理局", "-short", "区市监局", "-uscc", demo.USCC("440605", 1), "-region", "440605")
		in := filepath.Join(t.TempDir(), "in.csv")
		must("export", "catalog", "-o", in, "-department", "区市监局")
		out, err := hutong(t, vars, "import", "catalog", "-file", in, "-department", "区市监局", "-dry-run")
		if !errors.Is(err, errReported) || !strings.Contains(out, "文件中没有数据资源（只有表头）") ||
			!strings.Contains(out, "未导入任何数据：文件有 1 处问题。修正后重新导入\n") {
			t.Errorf("header only: got %v\n%s", err, out)
		}
	})
}

// TestImportCatalogGoodOnlyFileBroken: a file whose reading stopped part-way
// is refused with -good-only too, and the report says that -good-only
// cannot help, where it offered -good-only to the user who had given it,
// and a dry run announced the entries it would create.
func TestImportCatalogGoodOnlyFileBroken(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars, _ := mustMarketBureau(t, dsn)
		in := filepath.Join(t.TempDir(), "in.csv")
		csv := "resource_name,description,data_items\n" +
			"营业执照登记信息,市场主体登记,统一社会信用代码\n" +
			"\"引号未闭合,x,y\n" +
			"食品经营许可,许可信息,许可证编号\n"
		if err := os.WriteFile(in, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"import", "catalog", "-file", in, "-department", "区市监局", "-good-only",
			"-default", "资源分类(类)=部门信息资源", "-default", "项代码=01", "-default", "项名称=市场监管",
			"-default", "目代码=001", "-default", "目名称=登记", "-default", "共享类型=无条件共享",
			"-default", "共享方式=查询", "-default", "共享范围=全区", "-default", "开放属性=不予开放", "-default", "所属领域=市场监管", "-default", "更新周期=每日",
			"-default", "安全级别=2", "-default", "网络环境=政务外网",
			"-default", "数据主体=法人", "-default", "数据类型=C", "-default", "长度=100", "-default", "资源格式=数据库"}
		for _, dry := range []bool{false, true} {
			a := args
			if dry {
				a = append(slices.Clip(args), "-dry-run")
			}
			out, err := hutong(t, vars, a...)
			if !errors.Is(err, errReported) || !strings.Contains(out, "未导入任何数据") ||
				!strings.Contains(out, "文件未能完整读取，-good-only 不能只导入无误的行") {
				t.Errorf("dry run %v: got %v\n%s", dry, err, out)
			}
			for _, bad := range []string{"或用 -good-only", "试导入：将新建", "已导入到"} {
				if strings.Contains(out, bad) {
					t.Errorf("dry run %v: output contains %q:\n%s", dry, bad, out)
				}
			}
		}
	})
}

// TestExportCatalogFiltered: hutong export catalog takes the list's text
// and filters as GET /api/v1/catalog/export does (736b25d): the file's
// rows are those catalog.Search finds under the same query, in its order;
// a value no vocabulary holds and a security level out of 1–4 are refused
// before anything is written. Without the flags the command answered
// 没有参数 -q.
func TestExportCatalogFiltered(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars, must := mustMarketBureau(t, dsn)
		dir := t.TempDir()
		in := filepath.Join(dir, "in.csv")
		csv := "resource_name,description,update_frequency,open_attribute,data_items,domain\n" +
			"营业执照登记信息,市场主体登记,每天,依申请开放,统一社会信用代码、名称,市场监管\n" +
			"营业执照变更信息,市场主体变更登记,月度,不开放,统一社会信用代码、变更事项,市场监管\n" +
			"食品经营许可信息,许可信息,每天,不开放,统一社会信用代码、许可证编号,市场监管\n"
		if err := os.WriteFile(in, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"import", "catalog", "-file", in, "-department", "区市监局", "-default", "资源分类(类)=部门信息资源",
			"-default", "项代码=01", "-default", "项名称=市场监管", "-default", "目代码=001", "-default", "目名称=登记",
			"-default", "共享类型=有条件共享", "-default", "共享条件=依申请", "-default", "共享方式=查询", "-default", "共享范围=全区",
			"-default", "安全级别=2", "-default", "网络环境=政务外网", "-default", "数据主体=法人", "-default", "数据类型=C",
			"-default", "长度=100", "-default", "资源格式=数据库"}
		if out := must(args...); !strings.Contains(out, "新建 3 个") {
			t.Fatalf("import: %s", out)
		}
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		by := catalog.Actor{Operator: true}
		for i, c := range []struct {
			flags []string
			query catalog.Query
		}{
			{[]string{"-q", "营业执照"}, catalog.Query{Text: "营业执照"}},
			{[]string{"-q", "营业执照", "-update-frequency", "daily"}, catalog.Query{Text: "营业执照", UpdateFrequency: "daily"}},
			{[]string{"-open-attribute", "closed", "-sort", "updated"}, catalog.Query{OpenAttribute: catalog.NotOpen, Sort: catalog.ByUpdated}},
			{[]string{"-security-level", "3"}, catalog.Query{SecurityLevel: 3}},
		} {
			file := filepath.Join(dir, fmt.Sprintf("out%d.jsonl", i))
			must(append([]string{"export", "catalog", "-o", file}, c.flags...)...)
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if line == "" {
					continue
				}
				var row struct{ Name string }
				if err := json.Unmarshal([]byte(line), &row); err != nil {
					t.Fatal(err)
				}
				got = append(got, row.Name)
			}
			q := c.query
			q.Statuses = []catalog.Status{catalog.Draft, catalog.Submitted, catalog.Rejected, catalog.Published}
			q.Limit, q.Now = 100, time.Now()
			if q.Sort == "" {
				q.Sort = catalog.ByName
			}
			page, err := catalog.Search(context.Background(), db.Read(), by, q)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, s := range page.Items {
				want = append(want, s.Name)
			}
			if !slices.Equal(got, want) || i < 3 && len(want) == 0 {
				t.Errorf("export %q: %q, the search finds %q", c.flags, got, want)
			}
		}
		for flag, want := range map[string][]string{
			"-share-type 共享":      {"-share-type", "共享"},
			"-security-level 5":   {"-security-level", "5"},
			"-security-level 0":   {"-security-level", "0"},
			"-subject-kind thing": {"-subject-kind", "thing"},
		} {
			file := filepath.Join(dir, "bad.jsonl")
			out, err := hutong(t, vars, append([]string{"export", "catalog", "-o", file}, want...)...)
			if err == nil || !strings.Contains(err.Error(), want[0]) {
				t.Errorf("%s: %v\n%s", flag, err, out)
			}
			if _, err := os.Stat(file); err == nil {
				t.Errorf("%s wrote a file", flag)
			}
		}
	})
}
