package server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReadyzConsoleAuditFailure: a read of the console refused because
// its audit row cannot be written (503) makes /readyz answer 503, as a
// read of the API does: only the API's group commit kept the failure, so
// a server serving the console alone stayed ready while it refused every
// audited page. Once the log can be written, /readyz's probe makes it
// ready again.
func TestReadyzConsoleAuditFailure(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		sys := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, sys, &org.Region{Code: "440000", Name: "广东省", Level: org.Province}, time.Now()); err != nil {
				return err
			}
			code, err := ident.MakeUSCC("11440000", "00734567")
			if err != nil {
				return err
			}
			d := org.Department{Name: "广东省政务服务数据管理局", USCC: code, RegionCode: "440000", IsOperator: true}
			if err := org.CreateDepartment(ctx, tx, sys, &d, time.Now()); err != nil {
				return err
			}
			_, err = orgtest.CreateUser(ctx, tx, sys, org.NewUser{Username: "gd.audit", DisplayName: "审计", DepartmentID: d.ID,
				Role: org.Auditor, Password: "Hutong-Test-2026"}, time.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		ts := newServer(t, db)
		c, _ := consoleLogin(t, ts.URL, "gd.audit")
		get := func(path string) (int, string) {
			t.Helper()
			resp, err := c.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(body)
		}
		if code, body := get("/audit"); code != http.StatusOK {
			t.Fatalf("audit page: %d %.300s", code, body)
		}
		unblock := sqldbtest.BlockAudit(t, db)
		if code, body := get("/audit"); code != http.StatusServiceUnavailable {
			t.Fatalf("audit page with the audit log unwritable: %d %.300s, want 503", code, body)
		}
		if code, body := get("/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "audit log not writable") {
			t.Errorf("readyz after a console read was refused: %d %q, want 503 audit log not writable", code, body)
		}
		unblock()
		// Its probe finds the log writable again (the last result answers
		// for a second).
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			code, body := get("/readyz")
			if code == http.StatusOK {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("readyz once the audit log is writable: %d %q, want 200", code, body)
			}
		}
	})
}
