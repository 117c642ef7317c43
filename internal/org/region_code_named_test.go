package org_test

import (
	"context"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRegionCodeRefusalNamed: a region code that is no code is refused
// invalid_region_code on its field, the message naming the code's label,
// repeating the code as read (full-width forms as ASCII) and its first
// character that is no digit, or its length, for a new region and its
// parent, a new department and a department moved. Before, each was told
// 行政区划代码只能包含数字 or 行政区划代码应为6位数字（乡镇为9位）, naming
// neither the code nor, for a parent, which code. A code of invisible
// characters alone (a BOM, a zero-width space) is shown, not told 不能为空,
// which it was, for an optional parent too (R3 review). On both engines.
func TestRegionCodeRefusalNamed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		moved, zwsp := "４４０６Ｏ５", " \u200b "
		for _, c := range []struct {
			what, field, msg string
			do               func(tx *sqldb.Tx) error
		}{
			{"new region", "code", "行政区划代码“4406O5”的第5个字符“O”不是数字：应为6位数字（乡镇为9位）", func(tx *sqldb.Tx) error {
				return org.CreateRegion(ctx, tx, admin, &org.Region{Code: "4406O5", Name: "顺德区", Level: org.District, ParentCode: "440000"}, t0)
			}},
			{"new region's parent", "parent_code", "上级行政区划代码“44000”为5位：应为6位数字（乡镇为9位）", func(tx *sqldb.Tx) error {
				return org.CreateRegion(ctx, tx, admin, &org.Region{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: "44000"}, t0)
			}},
			{"a region of 9 digits not a town", "code", "行政区划代码“440606001”为9位：只有乡镇的代码为9位", func(tx *sqldb.Tx) error {
				return org.CreateRegion(ctx, tx, admin, &org.Region{Code: "440606001", Name: "顺德区", Level: org.District, ParentCode: "440000"}, t0)
			}},
			{"new department", "region_code", "行政区划代码“4406-05”的第5个字符“-”不是数字", func(tx *sqldb.Tx) error {
				return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "南海区区划测试局", USCC: demo.USCC("440605", 302),
					RegionCode: "4406-05"}, t0)
			}},
			{"department moved", "region_code", "行政区划代码“4406O5”的第5个字符“O”不是数字", func(tx *sqldb.Tx) error {
				_, err := org.UpdateDepartment(ctx, tx, admin, d.ID, org.DepartmentChange{Name: d.Name, USCC: d.USCC, RegionCode: &moved}, t0)
				return err
			}},
			{"a code holding a tab", "region_code", "行政区划代码“4406[U+0009]05”的第5个字符“[U+0009]”不是数字", func(tx *sqldb.Tx) error {
				return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "南海区区划测试局", USCC: demo.USCC("440605", 302),
					RegionCode: "4406\t05"}, t0)
			}},
			{"a code over 64 bytes", "region_code", "行政区划代码过长（65字节）：应为6位数字（乡镇为9位）", func(tx *sqldb.Tx) error {
				return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "南海区区划测试局", USCC: demo.USCC("440605", 302),
					RegionCode: strings.Repeat("4", 65)}, t0)
			}},
			{"a region's code of a BOM", "code", "行政区划代码“[U+FEFF]”只含不可见的字符：应为6位数字（乡镇为9位）", func(tx *sqldb.Tx) error {
				return org.CreateRegion(ctx, tx, admin, &org.Region{Code: " \ufeff ", Name: "广西壮族自治区", Level: org.Province}, t0)
			}},
			{"an optional parent of a zero-width space", "parent_code", "上级行政区划代码“[U+200B]”只含不可见的字符：应为6位数字（乡镇为9位）", func(tx *sqldb.Tx) error {
				return org.CreateRegion(ctx, tx, admin, &org.Region{Code: "450000", Name: "广西壮族自治区", Level: org.Province, ParentCode: "\u200b"}, t0)
			}},
			{"a parent of a BOM", "parent_code", "上级行政区划代码“[U+FEFF]”只含不可见的字符", func(tx *sqldb.Tx) error {
				return org.CreateRegion(ctx, tx, admin, &org.Region{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: "\ufeff"}, t0)
			}},
			{"a new department's of a BOM", "region_code", "行政区划代码“[U+FEFF]”只含不可见的字符：应为6位数字（乡镇为9位）", func(tx *sqldb.Tx) error {
				return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "南海区区划测试局", USCC: demo.USCC("440605", 302),
					RegionCode: "\ufeff"}, t0)
			}},
			{"a department moved to a zero-width space", "region_code", "行政区划代码“[U+200B]”只含不可见的字符：应为6位数字（乡镇为9位）", func(tx *sqldb.Tx) error {
				_, err := org.UpdateDepartment(ctx, tx, admin, d.ID, org.DepartmentChange{Name: d.Name, USCC: d.USCC, RegionCode: &zwsp}, t0)
				return err
			}},
		} {
			err := db.Tx(ctx, c.do)
			if e := errs.As(err); e == nil || e.Code != "invalid_region_code" || e.Field != c.field || !strings.Contains(e.Message, c.msg) ||
				strings.Contains(e.Message, "不能为空") {
				t.Errorf("%s: %v, want invalid_region_code on %s saying %s", c.what, err, c.field, c.msg)
			}
		}
	})
}

// TestRegionCodePaddingNotCounted: a region code padded with white space
// past MaxRegionCodeInput bytes (as a fixed-width export pads it) is read
// alike by a new department, a department moved, a new region and its
// parent: the padding is trimmed before the bound. Before, only a new
// department trimmed it; the others were told 过长（77字节） (R3 review). On
// both engines.
func TestRegionCodePaddingNotCounted(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		pad := func(code string) string { return " " + code + strings.Repeat(" ", 70) }
		nanhai := pad("440605")
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, admin, &org.Region{Code: pad("440600"), Name: "佛山市", Level: org.City,
				ParentCode: pad("440000")}, t0); err != nil {
				return err
			}
			n := org.Department{Name: "南海区区划测试局", USCC: demo.USCC("440605", 302), RegionCode: nanhai}
			if err := org.CreateDepartment(ctx, tx, admin, &n, t0); err != nil {
				return err
			}
			if n.RegionCode != "440605" {
				t.Errorf("new department: region %q, want 440605", n.RegionCode)
			}
			moved, err := org.UpdateDepartment(ctx, tx, admin, d.ID, org.DepartmentChange{Name: d.Name, USCC: d.USCC,
				RegionCode: &nanhai}, t0)
			if err == nil && moved.RegionCode != "440605" {
				t.Errorf("department moved: region %q, want 440605", moved.RegionCode)
			}
			return err
		})
		if err != nil {
			t.Fatalf("padded region codes: %v, want each read as its code", err)
		}
		regions, err := org.Regions(ctx, db.Read())
		if err != nil || !slices.ContainsFunc(regions, func(r org.Region) bool { return r.Code == "440600" && r.ParentCode == "440000" }) {
			t.Errorf("regions %v (%v), want 440600 under 440000", regions, err)
		}
	})
}

// TestRegionCodeLongNotFolded: a region code of 1 MB (U+FDFA, eighteen
// characters each once folded) is refused before it is folded, for a new
// region, its parent and a new department: the refusal allocates under
// 256 KB, where folding it took over 11 MB. On SQLite: nothing is read
// from the database before the refusal.
func TestRegionCodeLongNotFolded(t *testing.T) {
	db := sqldbtest.SQLite(t)
	ctx := context.Background()
	seed(t, db)
	long := strings.Repeat("\ufdfa", 340000)
	for _, c := range []struct {
		what string
		do   func(tx *sqldb.Tx) error
	}{
		{"new region", func(tx *sqldb.Tx) error {
			return org.CreateRegion(ctx, tx, admin, &org.Region{Code: long, Name: "顺德区", Level: org.District, ParentCode: "440000"}, t0)
		}},
		{"new region's parent", func(tx *sqldb.Tx) error {
			return org.CreateRegion(ctx, tx, admin, &org.Region{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: long}, t0)
		}},
		{"new department", func(tx *sqldb.Tx) error {
			return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "南海区区划测试局", USCC: demo.USCC("440605", 302), RegionCode: long}, t0)
		}},
	} {
		var err error
		allocated := allocatedBy(func() { err = db.Tx(ctx, c.do) })
		if e := errs.As(err); e == nil || e.Code != "invalid_region_code" || !strings.Contains(e.Message, "过长（1020000字节）") {
			t.Errorf("%s: %.200v, want invalid_region_code 过长（1020000字节）", c.what, err)
		}
		if allocated >= 256<<10 {
			t.Errorf("%s: %d bytes allocated, want under 256 KB (the code not folded)", c.what, allocated)
		}
	}
}

// allocatedBy is how many bytes f allocates on the heap.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
