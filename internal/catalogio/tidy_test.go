package catalogio_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReimportTidied: a row the catalog tidies before storing it (runs of
// white space in the names of the entry, its items and service items; the
// 项名称 of a 基础信息资源 left empty) is compared as it was stored, so
// importing the same file again leaves it unchanged: a draft gets no
// update (and no catalog.update audit row), a published entry no empty
// revision, and a third import is not refused as revision_pending.
func TestReimportTidied(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		spaced := strings.Replace(good("空气  质量"), ",,,,编号,", ",,户口  迁移,,编  号,", 1)
		basic := strings.Replace(good("人口基本信息"), ",部门信息资源,01,综合,", ",基础信息资源,01,,", 1)
		file := []byte(csvHeader + spaced + basic)
		rep, err := importFile(w, w.gaj, file, catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 2 {
			t.Fatalf("first import: %+v, err %v %v", rep.Entries, err, rep.Errors)
		}
		updates := auditCount(t, db, "catalog.update")
		rep, err = importFile(w, w.gaj, file, catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Unchanged != 2 || rep.Updated != 0 {
			t.Fatalf("drafts again: %+v, err %v %v", rep.Entries, err, rep.Errors)
		}
		if n := auditCount(t, db, "catalog.update"); n != updates {
			t.Errorf("drafts again: %d catalog.update audit rows, want %d", n, updates)
		}

		err = w.db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, e := range rep.Entries {
				if _, err := catalog.Submit(ctx, tx, w.gaj, e.ID, t0); err != nil {
					return err
				}
				if _, err := catalog.Approve(ctx, tx, w.operator, e.ID, t0); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			rep, err = importFile(w, w.gaj, file, catalogio.CSV, catalogio.Options{})
			if err != nil || rep.Unchanged != 2 || rep.Updated != 0 {
				t.Fatalf("published, import %d: %+v, err %v %v", i+1, rep.Entries, err, rep.Errors)
			}
		}
		for _, r := range rep.Entries {
			e, err := catalog.Get(ctx, db.Read(), w.gaj, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if e.WorkingVersion != 0 {
				t.Errorf("%s: revision %d opened by an unchanged row", e.Name, e.WorkingVersion)
			}
		}
	})
}

// auditCount counts the audit rows of action.
func auditCount(t *testing.T, db *sqldb.DB, action string) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
