package main

import (
	"fmt"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
)

// TestMessagePackagePrefix: message drops in front of a domain error the
// English prefixes of the Hutong packages it went through, also behind a
// Chinese wrap's colon (第 3 行：sqldb: commit: …, where they were kept),
// and keeps any other wrap: a line, a file or a code a command names is
// not a package's prefix, even when it reads like one ("line 3: ",
// "data: "), where every lowercase ASCII prefix was dropped. A step a
// package names in more than one word ("create app: "), which stayed in
// front of the Chinese, is dropped as a package's word is.
func TestMessagePackagePrefix(t *testing.T) {
	domain := errs.E(errs.Invalid, "bad", "目录有误")
	for _, c := range []struct{ wrap, want string }{
		{"sqldb: write deferred rows: ", "目录有误"},
		{"org: sqldb: commit: ", "目录有误"},
		{"audit: insert: ", "目录有误"},
		{"sweep: sqldb: write deferred rows: ", "目录有误"},
		{"quality: departments: ", "目录有误"},
		{"savepoint: ", "目录有误"},
		{"feedback: sqldb: write deferred rows: ", "目录有误"},
		{"login: ", "目录有误"},
		// A step in more than one word, and the steps after a package's word.
		{"create app: ", "目录有误"},
		{"create app: sqldb: commit: ", "目录有误"},
		{"rekey department names: ", "目录有误"},
		{"load peers' item types: ", "目录有误"},
		{"cross-check: insert: ", "目录有误"},
		{"sqldb: create schema_migrations: ", "目录有误"},
		{"bench: start PostgreSQL: ", "目录有误"},
		{"第 3 行：create user: sqldb: commit: ", "第 3 行：目录有误"},
		{"Create app: ", "Create app: 目录有误"},
		{"app 5: ", "app 5: 目录有误"},
		{"line 3: ", "line 3: 目录有误"},
		{"data: ", "data: 目录有误"},
		{"region 330100: ", "region 330100: 目录有误"},
		{"department 12: ", "department 12: 目录有误"},
		{"orgs: ", "orgs: 目录有误"},
		{"catalog.csv: ", "catalog.csv: 目录有误"},
		{"第 3 行：", "第 3 行：目录有误"},
		{"line 3: sqldb: commit: ", "line 3: sqldb: commit: 目录有误"},
		// Behind a Chinese wrap's colon, as in front.
		{"第 3 行：sqldb: commit: ", "第 3 行：目录有误"},
		{"保存列映射：sweep: sqldb: write deferred rows: ", "保存列映射：目录有误"},
		{"部门 甲：账号 乙：feedback: ", "部门 甲：账号 乙：目录有误"},
		{"第 3 行：line 3: ", "第 3 行：line 3: 目录有误"},
		{"第 3 行：data: ", "第 3 行：data: 目录有误"},
		{"文件 a.csv：region 330100: sqldb: commit: ", "文件 a.csv：region 330100: sqldb: commit: 目录有误"},
		{"第 3 行（sqldb: commit: ", "第 3 行（sqldb: commit: 目录有误"},
		{"第 3 行：Sqldb: ", "第 3 行：Sqldb: 目录有误"},
		{"sqldb: 第 3 行：", "sqldb: 第 3 行：目录有误"},
	} {
		if got := message(fmt.Errorf("%s%w", c.wrap, domain)); got != c.want {
			t.Errorf("message(%q + domain error) = %q; want %q", c.wrap, got, c.want)
		}
	}
}
