package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepanciesOfARetiredEntry: the console's list of discrepancies
// still shows those of an entry retired since, under its name, where the
// whole page was refused with the push's 未发布，不能归集数据 because it
// loaded each entry as a push does. On both engines.
func TestDiscrepanciesOfARetiredEntry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := publishNamePair(t, f)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		subject := recordstest.CitizenID(400)
		for _, p := range []struct {
			dept, value string
			entry       int64
		}{{"公安分局", "张三", a}, {"市场监管局", "张叁", b}} {
			line := `{"op":"add","subject_id":"` + subject + `","produced_at":"` + produced + `","values":{"姓名":"` + p.value + `"}}` + "\n"
			res, err := records.Ingest(t.Context(), db, recordstest.Pusher(f.depts[p.dept].ID), p.entry,
				records.JSONLines(strings.NewReader(line)), f.clock.Now(), records.Options{})
			if err != nil || res.Applied != 1 {
				t.Fatalf("push %s: %+v %v", p.dept, res, err)
			}
		}
		if n := count(t, db, `SELECT count(*) FROM record_discrepancies WHERE status = 'open'`); n != 1 {
			t.Fatalf("open discrepancies: %d, want 1", n)
		}
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: f.depts["市场监管局"].ID}, Editor: true}
		if err := db.Tx(t.Context(), func(tx *sqldb.Tx) error {
			// The department asks; the operator's review retires it.
			if _, err := catalog.Retire(t.Context(), tx, by, b, "业务调整", f.clock.Now()); err != nil {
				return err
			}
			_, err := catalog.ApproveRetire(t.Context(), tx, catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"},
				Operator: true}, b, f.clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		op := f.loggedIn(t, "operator")
		r := op.get("/records/discrepancies?" + checking + "&status=all")
		wantStatus(t, "discrepancies with a retired entry", r, http.StatusOK)
		wantBody(t, "discrepancies with a retired entry", r, "共 1 条", "个体工商户经营者信息", "居住登记信息")
		wantNoBody(t, "discrepancies with a retired entry", r, "不能归集数据")
	})
}
