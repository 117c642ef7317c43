package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRestrictedShareWording: 受限共享 and 非受限共享, the share types of
// Hangzhou's measures (seed 001 七(二)–(五)), are read as 有条件共享 and
// 无条件共享 (synonyms, reported as changes), with and without 类.
func TestRestrictedShareWording(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		row := func(name, share, cond string) string {
			return strings.Replace(good(name), ",无条件共享,,", ","+share+","+cond+",", 1)
		}
		file := csvHeader + row("甲项", "非受限共享", "") + row("乙项", "受限共享", "仅限办理本部门审批事项使用") +
			row("丙项", "非受限共享类", "") + row("丁项", "受限共享类", "仅限办理本部门审批事项使用")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{})
		if err != nil {
			t.Fatalf("import: %v (errors %+v)", err, rep.Errors)
		}
		want := map[string]catalog.ShareType{"甲项": catalog.Unconditional, "乙项": catalog.Conditional,
			"丙项": catalog.Unconditional, "丁项": catalog.Conditional}
		got := map[string]catalog.ShareType{}
		for _, r := range resourcesOf(t, w, w.gaj) {
			got[r.Name] = r.ShareType
		}
		for name, st := range want {
			if got[name] != st {
				t.Errorf("%s: got share type %q, want %q", name, got[name], st)
			}
		}
		changes := 0
		for _, c := range rep.Changes {
			if c.Field == "share_type" && c.Reason == "同义词" {
				changes++
			}
		}
		if changes != 4 {
			t.Errorf("got %d share type changes, want 4: %+v", changes, rep.Changes)
		}
	})
}

// TestBareInterfaceMethodAmbiguous: a share method written only as 接口 (or
// API, 服务接口) may be 信息查询接口 or 信息核验接口; it is an error of its
// row naming both (ambiguous_value), never guessed as the query interface;
// 查询接口 and 核验接口 are still read. As a mapping's default it is refused.
func TestBareInterfaceMethodAmbiguous(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		row := func(name, method string) string {
			return strings.Replace(good(name), ",信息查询接口,", ","+method+",", 1)
		}
		file := csvHeader + row("甲项", "接口") + row("乙项", "API") + row("丙项", "服务接口") +
			row("丁项", "查询接口") + row("戊项", "核验接口")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
		if !catalogio.Rejected(err) {
			t.Fatalf("got err %v, want import_rejected", err)
		}
		got := map[int]catalogio.RowError{}
		for _, e := range rep.Errors {
			got[e.Row] = e
		}
		for r := 2; r <= 4; r++ {
			e := got[r]
			if e.Field != "share_methods" || e.Code != "ambiguous_value" ||
				!strings.Contains(e.Message, "信息查询接口或信息核验接口") {
				t.Errorf("row %d: got %+v, want ambiguous_value naming 信息查询接口 and 信息核验接口", r, e)
			}
		}
		for r := 5; r <= 6; r++ {
			if e, ok := got[r]; ok {
				t.Errorf("row %d: got error %+v, want none", r, e)
			}
		}
		for _, c := range rep.Changes {
			if c.Field == "share_methods" && c.Row <= 4 {
				t.Errorf("bare interface read: %+v", c)
			}
		}

		m := &catalogio.Mapping{Defaults: map[string]string{"共享方式": "接口"}}
		if e := errs.As(m.Check()); e == nil || e.Code != "invalid_default" || !strings.Contains(e.Message, "信息查询接口或信息核验接口") {
			t.Errorf("default 共享方式=接口: got %v, want invalid_default naming the choices", e)
		}
	})
}
