package records_test

import (
	"database/sql"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCheckResolveRecordedOverride: a decision records whether it
// overrode the catalog (Override: for an entry other than the item's
// named source), and CheckResolve judges its retry by it. 公安's decision
// for 户籍, the named source, is not an override, and is judged against
// the entry decided right whatever the catalog names since: 公安 may
// still once the catalog names 社保 (review r12 of b6da9ed2). The
// operator's decision for 社保 is one, judged as decided afresh: the
// operator may, 人社 (the department of 社保, as an operator demoted since
// to its administrator is) not while the catalog names 户籍 (review r9),
// and may once it names 社保. A decision of before migration 0054 (NULL)
// is judged as before: 人社 may.
func TestCheckResolveRecordedOverride(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, d2 := f.twoDisputedNames()
		gaj := records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}
		rsj := records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}
		op := records.Reviewer{Actor: f.pusher.Actor, Operator: true}
		if _, err := f.resolve(gaj, d1[0].ID, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := f.resolve(op, d2[0].ID, f.sb); err != nil {
			t.Fatal(err)
		}
		for id, want := range map[int64]sql.NullBool{d1[0].ID: {Valid: true}, d2[0].ID: {Bool: true, Valid: true}} {
			if got := f.get(id).Override; got != want {
				t.Errorf("discrepancy %d: override %+v, want %+v", id, got, want)
			}
		}
		check := func(when, who string, by records.Reviewer, id int64, refused bool) {
			t.Helper()
			err := records.CheckResolve(f.ctx, db.Read(), by, id, 0, f.receivedAt)
			if e := errs.As(err); refused && (e == nil || e.Kind != errs.Forbidden || e.Code != "not_authoritative") ||
				!refused && err != nil {
				t.Errorf("%s: %s's retry of discrepancy %d: %v, want refused %v", when, who, id, err, refused)
			}
		}
		check("户籍 named", "公安", gaj, d1[0].ID, false)
		check("户籍 named", "人社", rsj, d1[0].ID, true)
		check("户籍 named", "the operator", op, d2[0].ID, false)
		check("户籍 named", "人社", rsj, d2[0].ID, true)
		exec := func(query string, args ...any) {
			t.Helper()
			if _, err := db.Write().ExecContext(f.ctx, query, args...); err != nil {
				t.Fatal(err)
			}
		}
		exec(`UPDATE catalog_authoritative_items SET entry_id = $1 WHERE item_key = '姓名'`, f.sb)
		check("社保 named", "公安", gaj, d1[0].ID, false)
		check("社保 named", "the operator", op, d2[0].ID, false)
		check("社保 named", "人社", rsj, d2[0].ID, false)
		exec(`UPDATE catalog_authoritative_items SET entry_id = $1 WHERE item_key = '姓名'`, f.hj)
		exec(`UPDATE record_discrepancies SET operator_override = NULL WHERE id = $1`, d2[0].ID)
		check("户籍 named, override unknown", "人社", rsj, d2[0].ID, false)
		check("户籍 named, override unknown", "公安", gaj, d2[0].ID, true)
	})
}

// TestCheckResolveNoSourceDecision: where the catalog names neither entry
// as the item's source, the operator alone decides, naming the entry: the
// decision is recorded as an override, and its retry by 人社, the
// department of the entry decided right (an operator demoted since to its
// administrator), is refused as a fresh decision is.
func TestCheckResolveNoSourceDecision(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, d2 := f.twoDisputedNames()
		if _, err := db.Write().ExecContext(f.ctx, `DELETE FROM catalog_authoritative_items WHERE item_key = '姓名'`); err != nil {
			t.Fatal(err)
		}
		op := records.Reviewer{Actor: f.pusher.Actor, Operator: true}
		rsj := records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}
		if _, err := f.resolve(op, d1[0].ID, f.sb); err != nil {
			t.Fatal(err)
		}
		if got := f.get(d1[0].ID).Override; got != (sql.NullBool{Bool: true, Valid: true}) {
			t.Errorf("override %+v, want true", got)
		}
		if err := records.CheckResolve(f.ctx, db.Read(), op, d1[0].ID, f.sb, f.receivedAt); err != nil {
			t.Errorf("the operator's retry: %v", err)
		}
		_, fresh := f.resolve(rsj, d2[0].ID, f.sb)
		err := records.CheckResolve(f.ctx, db.Read(), rsj, d1[0].ID, f.sb, f.receivedAt)
		if e, want := errs.As(err), errs.As(fresh); e == nil || want == nil || e.Code != "not_authoritative" || e.Message != want.Message {
			t.Errorf("人社's retry: %v, want not_authoritative as a fresh decision (%v)", err, fresh)
		}
	})
}
