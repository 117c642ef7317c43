package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

const warnCollationSaid = "排序规则为 en-US（icu），不是 C、C.UTF-8 或 POSIX"

// TestWarnsOfCollation: migrate, migrate -status and serve warn of a
// PostgreSQL database whose collation sorts names in a locale's order, not
// by code point as SQLite (an ICU locale: the test cluster has no libc
// locale but C, C.UTF-8 and POSIX), naming the createdb command of a
// C.UTF-8 database, and still serve it; they said nothing. A database of
// the C.UTF-8 locale gives no warning.
func TestWarnsOfCollation(t *testing.T) {
	for _, c := range []struct {
		dsn  string
		want bool
	}{
		{sqldbtest.PostgresCollated(t, "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"), true},
		{sqldbtest.PostgresCollated(t, "LOCALE 'C.UTF-8'"), false},
	} {
		vars := map[string]string{"HUTONG_DB": c.dsn}
		getenv := func(k string) string { return vars[k] }
		said := func(what, out string) {
			t.Helper()
			if got := strings.Contains(out, warnCollationSaid) && strings.Contains(out, "createdb -E UTF8 --locale=C.UTF-8 -T template0 coll_"); got != c.want {
				t.Errorf("%s: warned of the collation %v, want %v\n%s", what, got, c.want, out)
			}
		}
		// On the empty database first: the moment to create another.
		for _, args := range [][]string{{"migrate", "-status"}, {"migrate"}, {"migrate", "-status"}} {
			var out testlog.Buffer
			if err := run(t.Context(), args, getenv, &out, &out); err != nil {
				t.Fatalf("hutong %s: %v\n%s", strings.Join(args, " "), err, out.String())
			}
			said("hutong "+strings.Join(args, " "), out.String())
			if w, m := strings.Index(out.String(), warnCollationSaid), strings.Index(out.String(), "已应用迁移"); c.want && m >= 0 && w > m {
				t.Errorf("hutong %s: warned of the collation after building the schema in it\n%s", strings.Join(args, " "), out.String())
			}
		}

		ctx, cancel := context.WithCancel(t.Context())
		var out testlog.Buffer
		done := make(chan error, 1)
		go func() { done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0"}, getenv, &out, &out) }()
		started := regexp.MustCompile(`互通 Hutong 已启动：http://\S+`)
		deadline := time.After(time.Minute)
		for !started.MatchString(out.String()) {
			select {
			case err := <-done:
				t.Fatalf("serve exited: %v\n%s", err, out.String())
			case <-deadline:
				t.Fatalf("serve did not start:\n%s", out.String())
			case <-time.After(20 * time.Millisecond):
			}
		}
		cancel()
		<-done
		said("hutong serve", out.String())
		if c.want && !strings.Contains(out.String(), `level=WARN msg="PostgreSQL 数据库 `) {
			t.Errorf("serve: the collation's warning is not a WARN line of the log\n%s", out.String())
		}
	}
}
