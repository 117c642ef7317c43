package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// column returns the cells of column k of the table rows of out, the
// lines after the header that starts with header, up to an empty line or
// the line saying there are none (没有符合条件的部门).
func column(t *testing.T, out, header string, k int) []string {
	t.Helper()
	var cells []string
	in := false
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, header):
			in = true
		case in && (l == "" || strings.HasPrefix(l, "没有")):
			return cells
		case in:
			cells = append(cells, strings.Fields(l)[k])
		}
	}
	if !in {
		t.Errorf("no table headed %s in:\n%s", header, out)
	}
	return cells
}

// TestListSearch: org, user and app list take -q, the name search of the
// API and the console (ASCII letters in any case; org list searches the
// departments' names and short names and prints no regions), and read the
// store a page at a time: with pages of 2 every row is printed once, in
// one aligned table. On both engines.
func TestListSearch(t *testing.T) {
	defer func(n int) { listPageSize = n }(listPageSize)
	listPageSize = 2
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn, "HUTONG_PASSWORD": "Correct-Horse-9"}
		must := mustHutong(t, vars)
		must("migrate")
		must("org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province")
		must("org", "region-create", "-code", "440600", "-name", "佛山市", "-level", "city", "-parent", "440000")
		must("org", "region-create", "-code", "440605", "-name", "南海区", "-level", "district", "-parent", "440600")
		for i, d := range [][]string{
			{"南海区政务服务数据管理局", "数管局"},
			{"南海区档案馆", "档案"},
			{"南海区档案局", "档案局"},
			{"南海区DATA中心", ""},
			{"南海区市场监督管理局", "市场监管局"},
			{"南海区城市档案中心", ""},
		} {
			must("org", "department-create", "-name", d[0], "-short", d[1], "-uscc", demo.USCC("440605", i+1), "-region", "440605")
		}
		for _, u := range [][]string{
			{"zhang.san", "张三", "1"}, {"li.si", "李四", "2"}, {"zhang.wei", "张伟", "2"}, {"wang.wu", "王五", "3"}, {"zhangxu", "赵旭", "3"},
		} {
			must("user", "create", "-username", u[0], "-name", u[1], "-department", u[2], "-role", "reviewer")
		}
		for _, a := range [][]string{{"档案API", "2"}, {"一窗受理", "1"}, {"档案查询api", "3"}, {"电子证照Api", "2"}} {
			must("app", "create", "-name", a[0], "-department", a[1], "-scopes", "data.read")
		}

		for _, c := range []struct {
			args   []string
			header string
			k      int // the column of want
			want   []string
		}{
			{[]string{"org", "list"}, "ID", 1, []string{"南海区政务服务数据管理局", "南海区档案馆", "南海区档案局",
				"南海区DATA中心", "南海区市场监督管理局", "南海区城市档案中心"}},
			{[]string{"org", "list"}, "区划代码", 0, []string{"440000", "440600", "440605"}},
			{[]string{"org", "list", "-q", "档案"}, "ID", 1, []string{"南海区档案馆", "南海区档案局", "南海区城市档案中心"}},
			{[]string{"org", "list", "-q", "data"}, "ID", 1, []string{"南海区DATA中心"}},
			{[]string{"org", "list", "-q", "市场监管"}, "ID", 1, []string{"南海区市场监督管理局"}}, // the short name
			{[]string{"org", "list", "-q", "税务"}, "ID", 1, nil},
			{[]string{"user", "list"}, "ID", 1, []string{"zhang.san", "li.si", "zhang.wei", "wang.wu", "zhangxu"}},
			{[]string{"user", "list", "-q", "ZHANG"}, "ID", 1, []string{"zhang.san", "zhang.wei", "zhangxu"}},
			{[]string{"user", "list", "-q", "张"}, "ID", 1, []string{"zhang.san", "zhang.wei"}},
			{[]string{"user", "list", "-q", "zhang", "-department", "3"}, "ID", 1, []string{"zhangxu"}},
			{[]string{"app", "list", "-q", "aPi"}, "ID", 1, []string{"档案API", "档案查询api", "电子证照Api"}},
			{[]string{"app", "list", "-q", "档案", "-department", "南海区档案馆"}, "ID", 1, []string{"档案API"}},
		} {
			out := must(c.args...)
			if got := column(t, out, c.header, c.k); !slices.Equal(got, c.want) {
				t.Errorf("%s: got %q, want %q\n%s", strings.Join(c.args, " "), got, c.want, out)
			}
			if slices.Contains(c.args, "-q") && strings.Contains(out, "级别") {
				t.Errorf("%s: regions printed with a department search:\n%s", strings.Join(c.args, " "), out)
			}
		}
		// The table is aligned as a whole, not a page at a time: the
		// department column starts at one place on every line.
		out := must("app", "list")
		var starts []int
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			i := strings.Index(l, "南海区")
			if i < 0 {
				i = strings.Index(l, "部门")
			}
			starts = append(starts, displayWidth(l[:i]))
		}
		if len(starts) != 5 || slices.ContainsFunc(starts, func(n int) bool { return n != starts[0] }) {
			t.Errorf("app list: 部门 starts at columns %v:\n%s", starts, out)
		}
	})
}

// TestListSearchRefused: a -q the console would refuse is refused with its
// error, before the database is opened.
func TestListSearchRefused(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": t.TempDir() + "/none.db"} // never opened
	long := strings.Repeat("档", 101)
	for _, c := range []struct {
		q    string
		want string
	}{
		{"a\x01b", "q: invalid_characters: 搜索词含有控制字符或无效的字符编码"},
		{"a\x00b", "q: invalid_characters: 搜索词含有控制字符或无效的字符编码"},
		{"a\nb", "q: invalid_characters: 搜索词含有控制字符或无效的字符编码"},
		{"\xff", "q: invalid_characters: 搜索词含有控制字符或无效的字符编码"},
		{long, "q: query_too_long: 搜索词不能超过 100 个字，请缩短后再搜索"},
	} {
		for _, cmd := range []string{"org", "user", "app"} {
			out, err := hutong(t, vars, cmd, "list", "-q", c.q)
			if err == nil || err.Error() != c.want {
				t.Errorf("hutong %s list -q %q: got %v, want %q\n%s", cmd, c.q, err, c.want, out)
			}
		}
	}
	// Spaces around the search are trimmed, as in the console: 100
	// characters between them are not too long.
	if _, err := hutong(t, vars, "user", "list", "-q", " "+long[len("档"):]+" "); err == nil ||
		strings.Contains(err.Error(), "query_too_long") {
		t.Errorf("-q of 100 characters in spaces: %v, want the database refused, not the search", err)
	}
	for _, cmd := range []string{"org", "user", "app"} {
		if out, _ := hutong(t, nil, "help", cmd); !strings.Contains(out, "-q TEXT") {
			t.Errorf("hutong help %s does not explain -q:\n%s", cmd, out)
		}
	}
}

// TestOrgListMarksInvalidCode: org list marks a department whose stored
// credit code fails the check character a new department's must pass (one
// stored before 9f197a0), as the API and the console do, so that the
// operator finds it; a valid code is not marked. On both engines.
func TestOrgListMarksInvalidCode(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		must := mustHutong(t, map[string]string{"HUTONG_DB": dsn})
		must("migrate")
		must("org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province")
		must("org", "region-create", "-code", "440600", "-name", "佛山市", "-level", "city", "-parent", "440000")
		must("org", "region-create", "-code", "440605", "-name", "南海区", "-level", "district", "-parent", "440600")
		good := demo.USCC("440605", 1)
		must("org", "department-create", "-name", "南海区档案馆", "-uscc", good, "-region", "440605")
		db, err := sqldb.Open(context.Background(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Write().ExecContext(context.Background(), `INSERT INTO departments (name, short_name, uscc, region_code, is_operator, created_at)
			VALUES ('旧数字代码单位', '', '114406051154099990', '440605', false, CURRENT_TIMESTAMP)`); err != nil {
			t.Fatal(err)
		}
		out := must("org", "list")
		if got, want := column(t, out, "ID", 2), []string{good, "114406051154099990（校验位有误，请核对）"}; !slices.Equal(got, want) {
			t.Errorf("org list codes: got %q, want %q\n%s", got, want, out)
		}
	})
}
