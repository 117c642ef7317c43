package main

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestWaitTimeoutSaid: a command whose statement waited on PostgreSQL for
// a lock another session held, past lock_timeout, says in Chinese that
// the database is busy and to retry, inside what wraps it, where it
// printed "create department: ERROR: canceling statement due to lock
// timeout (SQLSTATE 55P03)"; and so does a wait past the bound
// (sqldb.ErrWaitTimeout). On SQLite another process's lock is
// TestLockedDatabaseSaid's.
func TestWaitTimeoutSaid(t *testing.T) {
	check := func(what, got string, want ...string) {
		t.Helper()
		for _, w := range append(want, "数据库繁忙", "请稍后重试") {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q; want %q in it", what, got, w)
			}
		}
		if strings.Contains(got, "SQLSTATE") || strings.Contains(got, "sqldb:") {
			t.Errorf("%s: %q; want the driver's English said in Chinese", what, got)
		}
	}
	check("a wait past the bound", message(fmt.Errorf("写入批次：%w", fmt.Errorf("%w (waited 200ms)", sqldb.ErrWaitTimeout))), "写入批次：")

	dsn := sqldbtest.PostgresDSN(t)
	must := mustHutong(t, map[string]string{"HUTONG_DB": dsn})
	must("migrate")
	mustNanhai(must)
	sqldbtest.HoldElsewhere(t, "pgx", dsn, "BEGIN; LOCK TABLE departments IN ACCESS EXCLUSIVE MODE")
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("lock_timeout", "50ms")
	u.RawQuery = q.Encode()
	out, err := hutong(t, map[string]string{"HUTONG_DB": u.String()},
		"org", "department-create", "-name", "南海区政务服务数据管理局", "-uscc", demo.USCC("440605", 1), "-region", "440605", "-operator")
	if !sqldb.IsWaitTimeout(err) {
		t.Fatalf("department-create while departments is locked: %v, want lock_timeout's error\n%s", err, out)
	}
	check("department-create", message(err))
	check("a wrapper", message(fmt.Errorf("填充演示记录（再次运行 hutong demo 即可补全）：%w", err)), "填充演示记录（再次运行 hutong demo 即可补全）：数据库繁忙")
}
