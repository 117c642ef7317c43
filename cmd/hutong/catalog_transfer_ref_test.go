package main

import (
	"context"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogTransferDepartmentRefs: hutong catalog transfer's -from and
// -to take a department's id, credit code, name or short name, as every
// other -department does, and an unknown one is refused as theirs is;
// before, they took ids only (-from 的值“公安分局”无效：应为整数).
func TestCatalogTransferDepartmentRefs(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		ga := recordstest.Department(t, db, "公安分局", 1)
		sf := recordstest.Department(t, db, "司法局", 2)
		mz := recordstest.Department(t, db, "民政局", 3)
		a := recordstest.Entry(t, db, ga, hujiSpec)
		ctx := context.Background()
		var sfUSCC string
		if err := db.Read().QueryRowContext(ctx, `SELECT uscc FROM departments WHERE id = $1`, sf).Scan(&sfUSCC); err != nil {
			t.Fatal(err)
		}
		departmentOf := func() int64 {
			t.Helper()
			var d int64
			if err := db.Read().QueryRowContext(ctx, `SELECT department_id FROM catalog_entries WHERE id = $1`, a).Scan(&d); err != nil {
				t.Fatal(err)
			}
			return d
		}
		for _, step := range []struct {
			from, to string
			want     int64
		}{
			{"公安分局", sfUSCC, sf},                    // a name, a credit code
			{sfUSCC, " 民政局 ", mz},                   // trimmed, as -department is
			{strconv.FormatInt(mz, 10), "公安分局", ga}, // an id still
		} {
			if out, err := hutong(t, vars, "catalog", "transfer", "-from", step.from, "-to", step.to); err != nil {
				t.Fatalf("transfer -from %q -to %q: %v\n%s", step.from, step.to, err, out)
			}
			if d := departmentOf(); d != step.want {
				t.Errorf("after transfer -from %q -to %q the entry is department %d's, want %d", step.from, step.to, d, step.want)
			}
		}
		_, want := hutong(t, vars, "org", "department-disable", "-department", "撤销局")
		if want == nil {
			t.Fatal("org department-disable of an unknown department succeeded")
		}
		for _, args := range [][]string{{"-from", "撤销局", "-to", "民政局"}, {"-from", "公安分局", "-to", "撤销局"}} {
			out, err := hutong(t, vars, append([]string{"catalog", "transfer"}, args...)...)
			if err == nil || err.Error() != want.Error() {
				t.Errorf("transfer %v: %v\n%s, want %v as org department-disable's", args, err, out, want)
			}
		}
		if d := departmentOf(); d != ga {
			t.Errorf("the entry is department %d's after the refusals, want %d", d, ga)
		}
		out, err := hutong(t, vars, "catalog", "transfer", "-to", "民政局")
		if err == nil || err.Error() != "必须指定 -from" {
			t.Errorf("transfer without -from: %v\n%s", err, out)
		}
	})
}
