// Package catalogiotest holds what the catalog import tests of more than
// one package import the real catalog with: the file and its column
// mapping.
package catalogiotest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
)

// RealCatalog is the shared set of 844 real open-data catalog entries of 21
// portals (shared/realdata/SOURCES.md, beside the repository), whose 提供部门
// are no departments of the platform, as a path from the folder of a
// package under internal/, where go test runs its tests. It is used from
// where it is, never copied.
const RealCatalog = "../../../shared/realdata/catalog.csv"

// ReadRealCatalog returns the contents of the real catalog (ReadRealData
// of catalog.csv), and skips t when it is not there.
func ReadRealCatalog(t testing.TB) []byte {
	t.Helper()
	return ReadRealData(t, "catalog.csv")
}

// RealDataPath is the path of file name of the shared realdata folder
// (shared/realdata/SOURCES.md), beside the module's root: the folder
// holding go.mod, found upward from the working directory, so that a test
// of any package finds it. "" when there is no go.mod above.
func RealDataPath(name string) string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "realdata", name)
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}

// ReadRealData returns the contents of file name of the shared realdata
// folder (RealDataPath), used where it is, never copied into the
// repository; it skips t, saying which file it looked for, when the file is
// not there (a checkout without the shared folder).
func ReadRealData(t testing.TB, name string) []byte {
	t.Helper()
	path := RealDataPath(name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("real data %s not available (%v): skipping; it lies beside the module root, in ../shared/realdata", name, err)
	}
	return data
}

// RealMapping is what a user maps for the open-data portals' export, saved
// as 开放平台目录: their column names to ours, with defaults for the catalog
// fields open-data portals do not publish. docs/catalog-workbook.md (Real
// data) gives it to users as a hutong import catalog command;
// TestDocRealMapping in cmd/hutong checks that the two are the same.
func RealMapping() *catalogio.Mapping {
	return &catalogio.Mapping{Name: "开放平台目录",
		Columns: map[string]string{"resource_name": "资源名称", "provider_dept": "提供部门", "domain": "所属领域",
			"update_frequency": "更新周期", "open_attribute": "开放属性", "data_items": "信息项", "format": "资源格式",
			"description": "摘要", "industry": "", "tags": "", "published": "", "updated": "", "region": "",
			"platform": "", "detail_url": "", "source_repo": "", "source_path": "", "source_commit": ""},
		Defaults: map[string]string{"资源分类(类)": "部门信息资源", "项代码": "01", "项名称": "开放数据", "目代码": "001",
			"目名称": "开放目录", "共享类型": "无条件共享", "共享方式": "文件下载交换", "共享范围": "全市政务部门",
			"安全级别": "1", "网络环境": "政务外网", "数据主体": "不涉及", "数据类型": "C", "长度": "200",
			"开放条件": "依申请开放"}}
}
