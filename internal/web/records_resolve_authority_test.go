package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestResolveAuthorityRefused: a resolution whose authority is sent but is
// no entry id (not a positive integer) is refused (400, on the list beside
// the difference) and changes nothing, where it was read as none and
// resolved the difference for the catalog's authoritative source; left out,
// the catalog's source still decides. On both engines.
func TestResolveAuthorityRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		d := openNameDiscrepancy(t, f, recordstest.CitizenID(11))
		a, did, police, ptok := d.a, d.id, d.police, d.ptok
		resolve := "/records/discrepancies/" + strconv.FormatInt(did, 10) + "/resolve"
		unchanged := func(what string) {
			t.Helper()
			if n := count(t, db, `SELECT count(*) FROM record_discrepancies WHERE id = $1 AND status = 'open' AND authoritative_entry_id IS NULL`, did); n != 1 {
				t.Errorf("%s: the discrepancy is no longer open and undecided", what)
			}
			if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.resolve'`); n != 0 {
				t.Errorf("%s: %d resolve rows, want none", what, n)
			}
		}
		for _, authority := range []string{"abc", "1e3", "0", "-1", strconv.FormatInt(a, 10) + "x"} {
			what := "authority=" + authority
			r := police.post(resolve, url.Values{"csrf_token": {ptok}, "authority": {authority}, "note": {"以户籍登记为准"}})
			wantStatus(t, what, r, http.StatusBadRequest)
			wantBody(t, what, r, `id="action-error">以哪个数据资源为准应为差异涉及的两个数据资源之一`)
			unchanged(what)
		}
		r := police.post(resolve, url.Values{"csrf_token": {ptok}, "note": {"以户籍登记为准"}})
		wantStatus(t, "without an authority", r, http.StatusSeeOther)
		if n := count(t, db, `SELECT count(*) FROM record_discrepancies WHERE id = $1 AND status = 'awaiting_correction' AND authoritative_entry_id = $2`, did, a); n != 1 {
			t.Errorf("without an authority: not resolved for the catalog's source %d", a)
		}
	})
}
