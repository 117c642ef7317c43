package catalogio_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestExportTempSpaceFull: an export whose temporary file cannot be
// created (ENOSPC) or written (a file refusing every write with ENOSPC,
// as on a full disk: a link, in a folder of the test's, to /dev/full, so
// that the export's removal of its file's name removes the link) is the server's temporary
// condition, 503 temp_space_full with the Chinese message and the cause
// kept for the log, where it was an internal error (500); nothing was
// written to the client. Both engines.
func TestExportTempSpaceFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	dir := t.TempDir()
	creates := map[string]func() (*os.File, error){
		// A new link each time: the export removes its file's name.
		"write": func() (*os.File, error) {
			link, err := os.CreateTemp(dir, "full-*")
			if err != nil {
				return nil, err
			}
			link.Close()
			if err := os.Remove(link.Name()); err != nil {
				return nil, err
			}
			if err := os.Symlink("/dev/full", link.Name()); err != nil {
				return nil, err
			}
			return os.OpenFile(link.Name(), os.O_RDWR, 0)
		},
		"create": func() (*os.File, error) {
			return nil, &fs.PathError{Op: "open", Path: "/tmp/hutong-export-1", Err: syscall.ENOSPC}
		},
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for _, r := range resources() {
			create(t, w, w.gaj, r)
		}
		for name, create := range creates {
			for _, f := range []catalogio.Format{catalogio.CSV, catalogio.JSONL} {
				var out bytes.Buffer
				_, err := catalogio.ExportTo(context.Background(), db, w.gaj, &out, f, catalogio.ExportOptions{}, create)
				e := errs.As(err)
				if e == nil || e.Kind != errs.Unavailable || e.Code != "temp_space_full" || e.Message != errs.TempSpaceMessage {
					t.Errorf("%s %s: %v; want 503 temp_space_full", name, f, err)
				}
				if !errors.Is(err, syscall.ENOSPC) {
					t.Errorf("%s %s: %v does not keep its cause", name, f, err)
				}
				if out.Len() != 0 {
					t.Errorf("%s %s: %d bytes written to the client", name, f, out.Len())
				}
			}
		}
	})
}
