package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordPageOfRetiredEntry: the record page of a retired entry says
// in a read's words that it is retired and its data cannot be read
// (已注销，不能查询数据), not a push's (不能归集数据). On both engines.
func TestRecordPageOfRetiredEntry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		a := publish(t, f, "公安分局", "居住登记信息", "01", "002", id, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		ctx := context.Background()
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: f.depts["公安分局"].ID}, Editor: true}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			// The department asks; the operator's review retires it.
			if _, err := catalog.Retire(ctx, tx, by, a, "业务调整", f.clock.Now()); err != nil {
				return err
			}
			_, err := catalog.ApproveRetire(ctx, tx, catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"},
				Operator: true}, a, f.clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		police := f.loggedIn(t, "police.admin")
		r := police.get("/records/entries/" + strconv.FormatInt(a, 10) + "/subjects/" + recordstest.CitizenID(1) + "?purpose=" + url.QueryEscape("核查"))
		wantStatus(t, "record page of a retired entry", r, http.StatusConflict)
		wantBody(t, "record page of a retired entry", r, "已注销，不能查询数据")
		wantNoBody(t, "record page of a retired entry", r, "归集数据")
	})
}
