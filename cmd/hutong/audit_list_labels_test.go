package main

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditListDepartment: audit list has the console's 部门 column, after
// 操作者: the name of the actor's department, "-" for an actor of none
// (an app of no department here, the command line's system actor). On
// both engines.
func TestAuditListDepartment(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		must("migrate")
		must("org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province")
		must("org", "department-create", "-name", "广东省公安厅", "-short", "公安厅", "-uscc", demo.USCC("440000", 1), "-region", "440000")
		ctx := context.Background()
		db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dept, err := org.DepartmentByName(ctx, db.Read(), "公安厅")
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 10, 9, 9, 0, 0, 0, calendar.Location())
		for _, actor := range []audit.Actor{
			{Kind: audit.ActorUser, ID: "1", Name: "gat.admin", DepartmentID: dept.ID},
			{Kind: audit.ActorApp, ID: "k1", Name: "一窗受理系统"},
		} {
			ev := audit.Event{Actor: actor, Action: "records.read", ObjectType: "catalog_entry", ObjectID: "7", SubjectID: "11010519491231002X"}
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return audit.Record(ctx, tx, ev, at) }); err != nil {
				t.Fatal(err)
			}
		}

		out := must("audit", "list", "-action", "records.read")
		header := strings.Fields(strings.SplitN(out, "\n", 2)[0])
		if i := slices.Index(header, "部门"); i < 0 || header[i-1] != "操作者" {
			t.Fatalf("audit list: header %q has no 部门 after 操作者:\n%s", header, out)
		}
		if got, want := auditColumn(t, out, "部门"), []string{"-", "广东省公安厅"}; !slices.Equal(got, want) {
			t.Errorf("audit list 部门: got %q, want %q\n%s", got, want, out)
		}
		// -format json is the API's items, its times in UTC as the API
		// gives them, not the table's Beijing time.
		stdout, _, err := hutongApart(t, vars, "audit", "list", "-action", "records.read", "-format", "json", "-limit", "1")
		if err != nil || !strings.Contains(stdout, `"at":"2026-10-09T01:00:00Z"`) {
			t.Errorf("audit list -format json: want at 2026-10-09T01:00:00Z (UTC), got %v:\n%s", err, stdout)
		}
	})
}

// TestAuditListLabels: audit list prints a stored value that has a Chinese
// label in the console by that label, as docs/design.md asks: the outcome
// (成功, 拒绝, 失败; a row written with none is 成功), the actor's kind
// before its name (工作人员 gat.admin, 匿名 for an actor of no name) and
// the object's kind before its id (数据资源：7, 部门 for an object of no
// id); a kind without a label is printed as stored. -format json keeps
// the stored values. Before, the table printed ok, user:gat.admin and
// catalog_entry:7. On both engines.
func TestAuditListLabels(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		must("migrate")
		ctx := context.Background()
		db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		at := time.Date(2026, 10, 9, 9, 0, 0, 0, calendar.Location())
		for _, ev := range []audit.Event{ // listed newest first, so the last is the first row
			{Actor: audit.Actor{Kind: "robot", Name: "r1"}, Action: "records.read", ObjectType: "widget", ObjectID: "3", Outcome: audit.OK},
			{Actor: audit.Actor{Kind: audit.ActorAnonymous}, Action: "records.read", ObjectType: "department", Outcome: audit.Failed},
			{Actor: audit.Actor{Kind: audit.ActorApplicant, Name: "张三"}, Action: "records.read", ObjectType: "record", ObjectID: "42", Outcome: audit.Denied},
			{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "cli", Name: "root"}, Action: "records.read", ObjectType: "user", ObjectID: "5"},
			{Actor: audit.Actor{Kind: audit.ActorApp, ID: "k1", Name: "一窗受理系统"}, Action: "records.read", ObjectType: "app_key", ObjectID: "k1", Outcome: audit.OK},
			{Actor: audit.Actor{Kind: audit.ActorUser, ID: "1", Name: "gat.admin"}, Action: "records.read", ObjectType: "catalog_entry", ObjectID: "7", Outcome: audit.OK},
		} {
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return audit.Record(ctx, tx, ev, at) }); err != nil {
				t.Fatal(err)
			}
		}

		out := must("audit", "list", "-action", "records.read")
		for _, c := range []struct {
			column string
			want   []string
		}{
			{"操作者", []string{"工作人员 gat.admin", "应用 一窗受理系统", "系统 root", "申请人 张三", "匿名", "robot r1"}},
			{"对象", []string{"数据资源：7", "应用密钥：k1", "账号：5", "记录：42", "部门", "widget：3"}},
			{"结果", []string{"成功", "成功", "成功", "拒绝", "失败", "成功"}},
		} {
			if got := auditColumn(t, out, c.column); !slices.Equal(got, c.want) {
				t.Errorf("audit list %s: got %q, want %q\n%s", c.column, got, c.want, out)
			}
		}

		stdout, _, err := hutongApart(t, vars, "audit", "list", "-action", "records.read", "-format", "json", "-limit", "1")
		for _, want := range []string{`"kind":"user"`, `"object_type":"catalog_entry"`, `"object_id":"7"`, `"outcome":"ok"`} {
			if err != nil || !strings.Contains(stdout, want) {
				t.Errorf("audit list -format json: want %s, got %v:\n%s", want, err, stdout)
			}
		}
	})
}

// auditColumn is the cells of the column headed name in the table audit
// list printed in out, a row's cells being what the table's padding (two
// spaces or more) separates: a cell may hold one space (the time, an
// actor's kind and name).
func auditColumn(t *testing.T, out, name string) []string {
	t.Helper()
	gap := regexp.MustCompile(` {2,}`)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	k := slices.Index(gap.Split(lines[0], -1), name)
	if k < 0 {
		t.Fatalf("audit list: no column %s in:\n%s", name, out)
	}
	var cells []string
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "更早的记录") {
			break
		}
		row := gap.Split(l, -1)
		if len(row) <= k {
			t.Fatalf("audit list: no cell %s in %q", name, l)
		}
		cells = append(cells, row[k])
	}
	return cells
}
