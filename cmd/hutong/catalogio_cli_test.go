package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// cliDepartments makes two departments for the CLI's catalog tests.
func cliDepartments(must func(args ...string) string) {
	mustNanhai(must)
	must("org", "department-create", "-name", "南海区市场监督管理局", "-short", "区市监局", "-uscc", "11440605MB2C9235XX", "-region", "440605")
	must("org", "department-create", "-name", "南海区民政局", "-short", "区民政局", "-uscc", "11440605MB2C9243XX", "-region", "440605")
}

const cliCatalogCSV = "资源名称,摘要,资源分类(类),项代码,项名称,目代码,目名称,资源格式,共享类型,共享方式,共享范围,开放属性,更新周期,安全级别,网络环境,所属领域,数据主体,信息项名称,数据类型,长度\n" +
	"登记信息,市场主体登记,部门信息资源,01,市场监管,001,登记,电子表格,无条件共享,查询,全区,不予开放,每年,1,政务外网,市场监管,不涉及,编号,C,20\n"

// TestImportReadLineFirst: hutong import catalog says how many entries it
// read before the progress of storing them, where it printed the line after
// the last progress line, as the report's first.
func TestImportReadLineFirst(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		cliDepartments(must)
		in := tempFile(t, "in.csv", cliCatalogCSV)
		out := must("import", "catalog", "-file", in, "-department", "区市监局")
		read, progress := strings.Index(out, "读取 1 个数据资源（csv）"), strings.Index(out, "导入 1/1 行")
		if read < 0 || progress < 0 || read > progress {
			t.Errorf("want 读取 1 个数据资源（csv） before 导入 1/1 行:\n%s", out)
		}
		if strings.Count(out, "读取") != 1 || !strings.Contains(out, "共 1 个信息项") {
			t.Errorf("want the read line once and the items counted:\n%s", out)
		}
	})
}

// TestExportTakesFile: hutong export catalog takes -file, the flag hutong
// import catalog names its file with, as -o; it answered 没有参数 -file.
// Two different files are refused.
func TestExportTakesFile(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "h.db")}
	must := mustHutong(t, vars)
	must("migrate")
	dir := t.TempDir()
	csv := filepath.Join(dir, "out.csv")
	if out := must("export", "catalog", "-file", csv); !strings.Contains(out, "已导出 0 个数据资源到 "+csv) {
		t.Errorf("export -file: %s", out)
	}
	if _, err := os.Stat(csv); err != nil {
		t.Errorf("export -file wrote no file: %v", err)
	}
	other := filepath.Join(dir, "other.csv")
	if out, err := hutong(t, vars, "export", "catalog", "-o", other, "-file", csv, "-force"); err == nil ||
		!strings.Contains(err.Error(), "只能给出其中一个") {
		t.Errorf("-o and -file of two files: got %v\n%s", err, out)
	}
	if out := must("export", "catalog", "-o", csv, "-file", csv, "-force"); !strings.Contains(out, "已导出 0 个数据资源到 "+csv) {
		t.Errorf("export -o F -file F: %s", out)
	}
}

// TestImportMappingOfAnotherDepartment: a mapping is saved per department;
// -mapping with the name of another department's says so, names the
// department's own mappings and how to make one, where it said only
// 导入映射不存在：开放平台.
func TestImportMappingOfAnotherDepartment(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		cliDepartments(must)
		in := tempFile(t, "in.csv", cliCatalogCSV)
		must("import", "catalog", "-file", in, "-department", "区市监局", "-dry-run")
		must("import", "catalog", "-file", in, "-department", "区市监局", "-save-mapping", "开放平台", "-default", "网络环境=政务外网")
		out, err := hutong(t, vars, "import", "catalog", "-file", in, "-department", "区民政局", "-mapping", "开放平台")
		if err == nil {
			t.Fatalf("another department's mapping was used:\n%s", out)
		}
		for _, want := range []string{"导入映射不存在：开放平台", "列映射按部门保存", "南海区民政局还没有保存列映射", "-save-mapping"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		}
		must("import", "catalog", "-file", in, "-department", "区民政局", "-any-provider", "-dry-run")
		must("import", "catalog", "-file", in, "-department", "区民政局", "-save-mapping", "本部门", "-default", "网络环境=政务外网")
		if _, err := hutong(t, vars, "import", "catalog", "-file", in, "-department", "区民政局", "-mapping", "开放平台"); err == nil ||
			!strings.Contains(err.Error(), "南海区民政局的列映射有：本部门") {
			t.Errorf("got %v, want the department's mappings named", err)
		}
	})
}
