package web_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditVerifyLinksTheRow: a chain that does not verify shows the
// break's code and links to the audit log's page that starts with the row
// (?before=SEQ+1), which lists it, with what to do next. On both engines.
func TestAuditVerifyLinksTheRow(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.loggedIn(t, "auditor")
		var seq int64
		if err := db.Read().QueryRowContext(context.Background(), `SELECT min(seq) FROM audit_log`).Scan(&seq); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(context.Background(), `UPDATE audit_log SET purpose = 'x' WHERE seq = $1`, seq); err != nil {
			t.Fatal(err)
		}
		r := c.get("/audit/verify")
		wantStatus(t, "edited row", r, http.StatusOK)
		link := `href="/audit?before=` + strconv.FormatInt(seq+1, 10) + `"`
		wantBody(t, "edited row", r, "审计链异常", `<span class="mono">row_edited</span>`, link, "保留一份数据库副本")
		r = c.get("/audit?before=" + strconv.FormatInt(seq+1, 10))
		wantStatus(t, "the linked page", r, http.StatusOK)
		wantBody(t, "the linked page", r, `>`+strconv.FormatInt(seq, 10)+`<`)
	})
}
