package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportColumnErrorsOnce: hutong import catalog tells a column the
// file leaves empty in every row (共享类型) once, with the -default that
// mends it, before the rows' own problems, where it printed its error for
// every row (12 lines a row of the real catalog, whose rows with problems
// of their own were lost among them).
func TestImportColumnErrorsOnce(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		cliDepartments(must)
		header, row, _ := strings.Cut(cliCatalogCSV, "\n")
		blank := strings.Replace(row, ",无条件共享,", ",,", 1)
		file := header + "\n" + strings.Replace(blank, "登记信息", "甲登记信息", 1) + strings.Replace(blank, "登记信息", "乙登记信息", 1) +
			strings.Replace(strings.Replace(blank, "登记信息", "丙登记信息", 1), ",1,政务外网,", ",9,政务外网,", 1)
		in := tempFile(t, "in.csv", file)
		out, err := hutong(t, vars, "import", "catalog", "-file", in, "-department", "区市监局", "-dry-run")
		if err == nil {
			t.Fatalf("import with errors succeeded:\n%s", out)
		}
		if strings.Count(out, "共享类型应为") != 1 || !strings.Contains(out, "\n  整列：“共享类型”列每行都为空，3 行因此有错误") ||
			!strings.Contains(out, "-default 共享类型=值") {
			t.Errorf("want 共享类型 told once, with its default:\n%s", out)
		}
		if !strings.Contains(out, "第 4 行 安全级别") || !strings.Contains(out, "需要修正：3 个数据资源，共 4 处问题") {
			t.Errorf("want row 4's own problem listed and 4 problems counted:\n%s", out)
		}
	})
}

// TestImportColumnErrorsOnlyRefused: hutong import catalog of a file whose
// only problem is a column empty in every row (共享类型) fails (exit code
// 1), where it printed 需要修正… and 未导入任何数据 but exited 0 as if it
// had imported, and -save-mapping said nothing of the data not imported;
// -good-only is refused too, saying why.
func TestImportColumnErrorsOnlyRefused(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		cliDepartments(must)
		header, row, _ := strings.Cut(cliCatalogCSV, "\n")
		blank := strings.Replace(row, ",无条件共享,", ",,", 1)
		file := header + "\n" + strings.Replace(blank, "登记信息", "甲登记信息", 1) + strings.Replace(blank, "登记信息", "乙登记信息", 1)
		in := tempFile(t, "in.csv", file)
		out, err := hutong(t, vars, "import", "catalog", "-file", in, "-department", "区市监局", "-save-mapping", "甲", "-default", "网络环境=政务外网")
		if !errors.Is(err, errReported) || !strings.Contains(out, "未导入任何数据：2 个数据资源有错误") ||
			!strings.Contains(out, "但数据未导入") {
			t.Errorf("want the import refused, and the mapping's note that the data was not imported; got %v:\n%s", err, out)
		}
		out, err = hutong(t, vars, "import", "catalog", "-file", in, "-department", "区市监局", "-good-only")
		if !errors.Is(err, errReported) || !strings.Contains(out, "整列的问题使各行都有错误，-good-only 不能只导入无误的行") {
			t.Errorf("want -good-only refused for the column; got %v:\n%s", err, out)
		}
		csv := filepath.Join(t.TempDir(), "out.csv")
		if out := must("export", "catalog", "-file", csv); !strings.Contains(out, "已导出 0 个数据资源") {
			t.Errorf("refused imports stored entries:\n%s", out)
		}
	})
}
