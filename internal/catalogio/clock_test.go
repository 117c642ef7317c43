package catalogio_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportDefaultClock: an import given no Now records the time UTC in
// whole microseconds, as the server's clock gives it, so both engines
// store and read back the same value; it took time.Now, to the
// nanosecond, which SQLite stored whole.
func TestImportDefaultClock(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		before := time.Now()
		rep, err := catalogio.Import(context.Background(), db, w.gaj, bytes.NewReader([]byte(csvHeader+good("时钟测试目录"))),
			catalogio.CSV, catalogio.Options{DepartmentID: w.gajID})
		if err != nil || rep.Created != 1 {
			t.Fatalf("import: %+v, %v", rep, err)
		}
		var created, updated time.Time
		if err := db.Read().QueryRowContext(context.Background(), `SELECT created_at, updated_at FROM catalog_entries WHERE id = $1`,
			rep.Entries[0].ID).Scan(&created, &updated); err != nil {
			t.Fatal(err)
		}
		for _, at := range []time.Time{created, updated} {
			if at.Before(before.Truncate(time.Microsecond)) || at.Nanosecond()%1000 != 0 {
				t.Errorf("entry imported at %s, want a time since %s in whole microseconds", at.Format(time.RFC3339Nano), before.Format(time.RFC3339Nano))
			}
		}
	})
}
