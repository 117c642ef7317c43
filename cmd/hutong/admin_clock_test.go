package main

import (
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAdminWriteClock: the administrative commands (org, user, app, and
// audit list's audited read) write server.Clock's time, UTC in whole
// microseconds, as the server and the other writing commands do
// (TestCLIWriteClock), so that both engines read back the same time;
// they wrote time.Now, which SQLite stored to the nanosecond. On both
// engines.
func TestAdminWriteClock(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn, "HUTONG_PASSWORD": "Correct-Horse-9", "USER": "tester"}
		must := mustHutong(t, vars)
		must("migrate")
		before := time.Now().Truncate(time.Microsecond)
		mustNanhai(must)
		must("org", "department-create", "-name", "南海区政务服务数据管理局", "-uscc", demo.USCC("440605", 1), "-region", "440605", "-operator")
		must("user", "create", "-username", "nh.op", "-name", "主管", "-department", "1", "-role", "operator")
		must("app", "create", "-name", "运维", "-department", "1", "-scopes", "catalog.read")
		must("audit", "list")
		db, err := sqldb.Open(context.Background(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		n := 0
		for _, query := range []string{`SELECT created_at FROM departments`, `SELECT created_at FROM users`,
			`SELECT created_at FROM apps`, `SELECT at FROM audit_log`} {
			rows, err := db.Read().QueryContext(context.Background(), query)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var at time.Time
				if err := rows.Scan(&at); err != nil {
					t.Fatal(err)
				}
				n++
				if at.Before(before) || at.Nanosecond()%1000 != 0 {
					t.Errorf("%s: %s, want a time since %s in whole microseconds", query, at.Format(time.RFC3339Nano), before.Format(time.RFC3339Nano))
				}
			}
			if err := rows.Close(); err != nil {
				t.Fatal(err)
			}
		}
		if n < 9 {
			t.Errorf("%d times read, want a department, an account, an app and at least six audit rows", n)
		}
	})
}
