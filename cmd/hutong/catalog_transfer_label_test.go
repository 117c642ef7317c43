package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogTransferLabelsCLI: hutong catalog transfer between two
// namesakes of two regions names them by their labels in its report, as
// the console does; before, it printed 区市场监督管理局 twice.
func TestCatalogTransferLabelsCLI(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		from := recordstest.Department(t, db, "区市场监督管理局", 1)
		recordstest.Entry(t, db, from, hujiSpec)
		ctx := context.Background()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
		to := org.Department{Name: "区市场监督管理局", USCC: demo.USCC("440604", 1), RegionCode: "440604"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			r := org.Region{Code: "440604", Name: "禅城区", Level: org.District, ParentCode: "440000"}
			if err := org.CreateRegion(ctx, tx, by, &r, time.Now()); err != nil {
				return err
			}
			return org.CreateDepartment(ctx, tx, by, &to, time.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		out, err := hutong(t, vars, "catalog", "transfer", "-from", strconv.FormatInt(from, 10), "-to", strconv.FormatInt(to.ID, 10))
		if err != nil {
			t.Fatalf("transfer: %v\n%s", err, out)
		}
		if want := "已将 1 个数据资源从“区市场监督管理局（广东省）”转移到“区市场监督管理局（禅城区）”\n"; !strings.HasSuffix(out, want) {
			t.Errorf("transfer printed\n%s\nwant it to end with %s", out, want)
		}
	})
}
