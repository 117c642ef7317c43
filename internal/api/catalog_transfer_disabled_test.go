package api_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogTransferToDisabled: a disabled department receives no
// entries (409 department_disabled on to_department_id), nothing moves;
// before, the transfer was done and the entries belonged to a department
// with no account or app left to keep them.
func TestCatalogTransferToDisabled(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		tf := newTransferFixture(t, db)
		ctx := context.Background()
		d := org.Department{Name: "南海区机构改革撤销局", USCC: demo.USCC("440605", 80), RegionCode: "440605"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
			if err := org.CreateDepartment(ctx, tx, by, &d, t0); err != nil {
				return err
			}
			_, err := org.SetDepartmentDisabled(ctx, tx, by, d.ID, true, nil, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		before := tf.entryDepartments(t)
		r := tf.transfer(t, tf.gaID, d.ID, strconv.FormatInt(tf.entryA, 10), tf.op...)
		if detail, _ := r.body["detail"].(string); r.status != 409 || r.body["code"] != "department_disabled" ||
			r.body["field"] != "to_department_id" || !strings.Contains(detail, "已停用") {
			t.Errorf("to a disabled department: got %d %v, want 409 department_disabled", r.status, r.body)
		}
		if after := tf.entryDepartments(t); after != before {
			t.Errorf("the refused transfer moved entries: %s, want %s", after, before)
		}
	})
}
