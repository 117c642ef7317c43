package main

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentDisableRefusalAudited: org department-disable refused
// because the department holds a published entry, or is the last enabled
// operator's, fails as before and leaves a denied department.disable row
// naming the command line's actor, the department and the refusal's code,
// which audit list prints in Chinese. Before, it left no row. On both
// engines.
func TestDepartmentDisableRefusalAudited(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars, must := mustNanhaiBureau(t, dsn)
		must("org", "department-create", "-name", "南海区档案局", "-uscc", demo.USCC("440605", 2), "-region", "440605")
		must("user", "create", "-username", "nh.op", "-name", "主管", "-department", "1", "-role", "operator")
		ctx := context.Background()
		db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := catalog.PublishGenerated(ctx, tx, 2, catalog.GenerateResource(rand.New(rand.NewPCG(1, 2)), nil), time.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if out, err := hutong(t, vars, "org", "department-disable", "-department", "南海区档案局"); err == nil || !strings.Contains(err.Error(), "转移数据资源到其他部门") {
			t.Fatalf("disable a department holding a published entry: %v\n%s", err, out)
		}
		if out, err := hutong(t, vars, "org", "department-disable", "-department", "1"); err == nil || !strings.Contains(err.Error(), "最后一个启用的平台管理员账号") {
			t.Fatalf("disable the operator's department: %v\n%s", err, out)
		}
		rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "department.disable"})
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			id     int64
			name   string
			reason string
		}{{1, "南海区政务服务数据管理局", "last_operator"}, {2, "南海区档案局", "department_holds_entries"}} // newest first
		if len(rows) != len(want) {
			t.Fatalf("%d department.disable rows, want %d: %+v", len(rows), len(want), rows)
		}
		for i, w := range want {
			r := rows[i]
			if wantDetail := audit.Detail("name", w.name, "reason", w.reason); r.Outcome != audit.Denied || r.Actor.Kind != audit.ActorSystem ||
				!strings.HasPrefix(r.Actor.Name, "cli:") || r.ObjectType != "department" || r.ObjectID != strconv.FormatInt(w.id, 10) || r.Detail != wantDetail {
				t.Errorf("row %d: %+v; want denied, by the command line, on department %d, detail %s", i, r.Event, w.id, wantDetail)
			}
		}
		out := must("audit", "list", "-action", "department.disable")
		for _, label := range []string{"原因=部门仍有已发布或审核中的数据资源，须先转移", "原因=将停用最后一个启用的平台管理员账号"} {
			if !strings.Contains(out, label) {
				t.Errorf("audit list: no %q:\n%s", label, out)
			}
		}
	})
}
