package catalogio_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// poolWatcher is the writer of an export that notes, at each write, how
// many connections of the database's read pool (its snapshot's) are in
// use.
type poolWatcher struct {
	db     *sqldb.DB
	buf    bytes.Buffer
	writes int
	held   int
}

func (p *poolWatcher) Write(b []byte) (int, error) {
	p.writes++
	p.held = max(p.held, p.db.Pools()["read"].Stats().InUse)
	return p.buf.Write(b)
}

// TestExportSpooled: an export writes nothing to its client while its
// snapshot's transaction is open: the file is written to a temporary file
// within the snapshot and sent once the transaction ended, so a slow
// client holds no connection (on PostgreSQL a REPEATABLE READ
// transaction, on SQLite a read that blocks checkpoints). Before, CSV and
// JSON lines were written to the client from inside the snapshot.
func TestExportSpooled(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		var names []string
		for _, r := range resources() {
			create(t, w, w.gaj, r)
			names = append(names, r.Name)
		}
		for _, f := range []catalogio.Format{catalogio.JSONL, catalogio.CSV, catalogio.XLSX} {
			out := &poolWatcher{db: db}
			n, err := catalogio.Export(context.Background(), db, w.gaj, out, f, catalogio.ExportOptions{})
			if err != nil || n != len(names) {
				t.Fatalf("%s: exported %d, %v; want %d", f, n, err, len(names))
			}
			if out.writes == 0 || out.held != 0 {
				t.Errorf("%s: %d writes, %d read connections in use during them; want none", f, out.writes, out.held)
			}
			if f != catalogio.XLSX {
				for _, name := range names {
					if !strings.Contains(out.buf.String(), name) {
						t.Errorf("%s: the file lacks %s", f, name)
					}
				}
			}
		}
	})
}
