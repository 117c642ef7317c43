package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogTransferToDisabledCLI: hutong catalog transfer to a disabled
// department is refused with the API's department_disabled and moves
// nothing; before, the entries passed to the disabled department.
func TestCatalogTransferToDisabledCLI(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		ga := recordstest.Department(t, db, "公安分局", 1)
		gone := recordstest.Department(t, db, "撤销局", 2)
		a := recordstest.Entry(t, db, ga, hujiSpec)
		ctx := context.Background()
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.SetDepartmentDisabled(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"}, gone, true, nil, time.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		out, err := hutong(t, vars, "catalog", "transfer", "-from", strconv.FormatInt(ga, 10), "-to", strconv.FormatInt(gone, 10))
		if err == nil || !strings.Contains(err.Error()+out, "已停用") {
			t.Errorf("to a disabled department: %v\n%s", err, out)
		}
		var d int64
		if err := db.Read().QueryRowContext(ctx, `SELECT department_id FROM catalog_entries WHERE id = $1`, a).Scan(&d); err != nil || d != ga {
			t.Errorf("entry %d of department %d (%v) after the refusal, want %d", a, d, err, ga)
		}
	})
}
