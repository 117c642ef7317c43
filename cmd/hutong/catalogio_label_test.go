package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportCatalogDepartmentLabel: hutong import catalog names the
// department it imported into by its label: with its region when another
// department has its name (区市场监督管理局 of 南海区 and of 顺德区), bare
// when none has. On both engines.
func TestImportCatalogDepartmentLabel(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		must := mustHutong(t, map[string]string{"HUTONG_DB": dsn})
		mustNanhai(must)
		must("org", "region-create", "-code", "440606", "-name", "顺德区", "-level", "district", "-parent", "440000")
		must("org", "department-create", "-name", "区市场监督管理局", "-uscc", demo.USCC("440605", 1), "-region", "440605")
		must("org", "department-create", "-name", "区市场监督管理局", "-uscc", demo.USCC("440606", 1), "-region", "440606")
		must("org", "department-create", "-name", "南海区民政局", "-uscc", demo.USCC("440605", 2), "-region", "440605")
		header := "资源名称,摘要,资源分类(类),项代码,项名称,目代码,目名称,资源格式,共享类型,共享方式,共享范围,开放属性,更新周期,安全级别,网络环境,所属领域,数据主体,信息项名称,数据类型,长度\n"
		row := ",摘要,部门信息资源,01,综合,001,登记,电子表格,无条件共享,信息查询接口,全区,不予开放,每年,1,政务外网,公共安全,不涉及,编号,C,20\n"
		in := filepath.Join(t.TempDir(), "in.csv")
		if err := os.WriteFile(in, []byte(header+"登记信息"+row), 0o644); err != nil {
			t.Fatal(err)
		}
		for dept, want := range map[string]string{
			demo.USCC("440606", 1): "已导入到区市场监督管理局（顺德区）：新建 1 个",
			demo.USCC("440605", 1): "已导入到区市场监督管理局（南海区）：新建 1 个",
			"南海区民政局":               "已导入到南海区民政局：新建 1 个",
		} {
			if out := must("import", "catalog", "-file", in, "-department", dept); !strings.Contains(out, want) {
				t.Errorf("-department %s: output lacks %q:\n%s", dept, want, out)
			}
		}
	})
}
