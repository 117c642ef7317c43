package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestDemoMigratingOnceOpen: demo says it migrates (/readyz: starting:
// migrating the database schema) only once its database is open, as serve
// does: until then /readyz says it opens the database. Its SQLite file,
// which opening it creates, exists when the start-up enters Migrating;
// before, demo entered Migrating before it opened the database, so that
// /readyz said migrating while a connection to PostgreSQL was still being
// made. Canceled once it seeds.
func TestDemoMigratingOnceOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var phases []server.Phase
	existed := false
	startingHook = func(_ context.Context, p server.Phase) {
		phases = append(phases, p)
		switch p {
		case server.Migrating:
			_, err := os.Stat(path)
			existed = err == nil
		case server.Seeding:
			cancel()
		}
	}
	t.Cleanup(func() { startingHook = nil })
	var out testlog.Buffer
	run(ctx, []string{"demo", "-db", path, "-addr", "127.0.0.1:0"}, func(string) string { return "" }, &out, &out)
	if len(phases) != 2 || phases[0] != server.Migrating || phases[1] != server.Seeding {
		t.Fatalf("phases %v, want Migrating then Seeding\n%s", phases, out.String())
	}
	if !existed {
		t.Errorf("demo said it migrated before it opened its database (%s did not exist)", path)
	}
}
