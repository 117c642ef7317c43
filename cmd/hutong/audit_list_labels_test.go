package main

import (
	"context"
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
		// The rows' cells split at spaces: 序号, the date, the time, 操作者, 部门.
		if got, want := column(t, out, "序号", 4), []string{"-", "广东省公安厅"}; !slices.Equal(got, want) {
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
