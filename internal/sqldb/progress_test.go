package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestMigrateProgress: MigrateProgress tells Before of each pending
// migration as it starts, numbered of the pending, and After once it is
// applied, before the next starts; a migration that fails (here cancelled
// as it starts) gets no After, and those before it stay applied. On both
// engines.
func TestMigrateProgress(t *testing.T) {
	unmigrated(t, func(t *testing.T, db *sqldb.DB, names []string) {
		if _, err := db.MigrateThrough(t.Context(), names[len(names)-3]); err != nil {
			t.Fatal(err)
		}
		first, second := names[len(names)-2], names[len(names)-1]
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var events []string
		applied, err := db.MigrateProgress(ctx, sqldb.Progress{
			Before: func(name string, i, n int) {
				events = append(events, fmt.Sprintf("before %s %d/%d", name, i, n))
				if name == second {
					cancel()
				}
			},
			After: func(name string, elapsed time.Duration) {
				events = append(events, "after "+name)
			},
		})
		want := []string{"before " + first + " 1/2", "after " + first, "before " + second + " 2/2"}
		var failed *sqldb.MigrationError
		if !errors.As(err, &failed) || failed.Name != second || !slices.Equal(applied, []string{first}) || !slices.Equal(events, want) {
			t.Errorf("MigrateProgress cancelled at %s: applied %q, %v, events %q; want %s applied, a MigrationError of %s, events %q",
				second, applied, err, events, first, second, want)
		}
		if pending, err := db.Pending(t.Context()); err != nil || !slices.Equal(pending, []string{second}) {
			t.Errorf("pending after: %q, %v; want %s", pending, err, second)
		}
	})
}
