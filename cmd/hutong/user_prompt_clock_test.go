package main

import (
	"context"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUserPasswordPromptClock: user create and user password take their
// time once the password is read, not before the prompt, which may wait
// for minutes: a write committed while it waited (a region created) came
// after the account's created_at and the audit time of user.create and
// user.password. On both engines.
func TestUserPasswordPromptClock(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn, "HUTONG_PASSWORD": "Correct-Horse-9", "USER": "tester"}
		must := mustHutong(t, vars)
		must("migrate")
		must("org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province")
		must("org", "department-create", "-name", "广东省政务服务数据管理局", "-uscc", demo.USCC("440000", 1), "-region", "440000", "-operator")
		prompted := map[string]string{"HUTONG_DB": dsn, "USER": "tester"}
		db, err := sqldb.Open(context.Background(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		at := func(query string, args ...any) time.Time {
			t.Helper()
			var v time.Time
			if err := db.Read().QueryRowContext(context.Background(), query, args...).Scan(&v); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			return v
		}
		for i, c := range []struct {
			args   []string
			action string
		}{
			{[]string{"user", "create", "-username", "gd.op", "-name", "主管", "-department", "1", "-role", "operator"}, "user.create"},
			{[]string{"user", "password", "-username", "gd.op"}, "user.password"},
		} {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			saved := os.Stdin
			os.Stdin = r
			type result struct {
				out string
				err error
			}
			done := make(chan result, 1)
			go func() {
				out, err := hutong(t, prompted, c.args...)
				done <- result{out, err}
			}()
			end := func() result {
				w.Close()
				res := <-done
				r.Close()
				os.Stdin = saved
				return res
			}
			// Wait until the command waits for the password.
			buf := make([]byte, 1<<20)
			for deadline := time.Now().Add(30 * time.Second); !strings.Contains(string(buf[:runtime.Stack(buf, true)]), "hutong.readPassword("); {
				if time.Now().After(deadline) {
					res := end()
					t.Fatalf("%s never read the password: %v\n%s", c.args, res.err, res.out)
				}
				time.Sleep(5 * time.Millisecond)
			}
			time.Sleep(2 * time.Millisecond)
			code := []string{"440100", "440300"}[i]
			must("org", "region-create", "-code", code, "-name", code, "-level", "city", "-parent", "440000")
			if _, err := w.WriteString("Correct-Horse-9\n"); err != nil {
				t.Fatal(err)
			}
			if res := end(); res.err != nil {
				t.Fatalf("%s: %v\n%s", c.args, res.err, res.out)
			}
			between := at(`SELECT at FROM audit_log WHERE action = 'region.create' ORDER BY seq DESC LIMIT 1`)
			if got := at(`SELECT at FROM audit_log WHERE action = $1 ORDER BY seq DESC LIMIT 1`, c.action); got.Before(between) {
				t.Errorf("%s audited at %s, before the region created while it prompted (%s)", c.action, got.Format(time.RFC3339Nano), between.Format(time.RFC3339Nano))
			}
			if c.action == "user.create" {
				if got := at(`SELECT created_at FROM users WHERE username = 'gd.op'`); got.Before(between) {
					t.Errorf("account created at %s, before the region created while it prompted (%s)", got.Format(time.RFC3339Nano), between.Format(time.RFC3339Nano))
				}
			}
		}
	})
}
