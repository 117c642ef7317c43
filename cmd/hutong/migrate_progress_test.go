package main

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestServeSaysEachMigration: serve says each migration as it starts
// (正在应用迁移 …（第 i/n 个）…, and /readyz names it) and once it is
// applied (已应用迁移 …（time）), as it happens: a start-up stopped in the
// second migration has said the first applied. Before, the names were
// printed only once every migration had ended, so that an upgrade taking
// minutes printed nothing, and one killed part-way nothing at all, and
// /readyz said only that it migrated. Two migrations that run again
// without harm (0034, an UPDATE; 0039, a function replaced on PostgreSQL,
// a no-op on SQLite) are made pending; the first is held, the second
// cancelled as it starts. On both engines.
func TestServeSaysEachMigration(t *testing.T) {
	const first, second = "0034_security_level_wording.sql", "0039_catalog_facet_deltas.sql"
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		forgetMigration(t, db, first)
		forgetMigration(t, db, second)

		var out testlog.Buffer
		ctx, cancel := context.WithCancelCause(t.Context())
		defer cancel(nil)
		held, release := make(chan struct{}), make(chan struct{})
		var atSecond string
		migrationHook = func(hctx context.Context, name string) {
			switch name {
			case first:
				close(held)
				select {
				case <-release:
				case <-hctx.Done():
				}
			case second:
				atSecond = out.String()
				cancel(errors.New("stopped in the second migration"))
			}
		}
		defer func() { migrationHook = nil }()

		addr := freeAddr(t)
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"serve", "-db", dsn, "-addr", addr}, func(string) string { return "" }, &out, &out)
		}()
		select {
		case <-held:
		case err := <-done:
			t.Fatalf("serve returned before its first migration: %v\n%s", err, out.String())
		}
		if s, want := out.String(), "正在应用迁移 "+first+"（第 1/2 个）…\n"; !strings.Contains(s, want) || strings.Contains(s, "已应用迁移") {
			t.Errorf("while %s is applied: output %q, want %q and nothing applied yet", first, s, want)
		}
		want := "starting: migrating the database schema: applying " + first + " (1 of 2)\n"
		if a := probe(t, "http://"+addr, "/readyz"); a.status != http.StatusServiceUnavailable || a.body != want {
			t.Errorf("/readyz while %s is applied: %d %q, want 503 %q", first, a.status, a.body, want)
		}
		close(release)
		if err := <-done; err == nil || !strings.Contains(err.Error(), "迁移 "+second+" 失败，未应用") {
			t.Errorf("serve stopped in %s: %v, want its failure", second, err)
		}
		if !strings.Contains(atSecond, "已应用迁移 "+first+"（") || !strings.Contains(atSecond, "正在应用迁移 "+second+"（第 2/2 个）…") {
			t.Errorf("output as %s started: %q, want %s said applied and %s started", second, atSecond, first, second)
		}
		if pending, err := db.Pending(t.Context()); err != nil || !slices.Equal(pending, []string{second}) {
			t.Errorf("pending after: %q, %v; want %s alone", pending, err, second)
		}
	})
}
