package records_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
)

// fullFile returns a create for records.SpoolTo (and the export's) whose
// file refuses every write with ENOSPC, as a file on a full disk does: a
// link, in a folder of the test's, to /dev/full, so that the spool's
// removal of its file's name removes the link.
func fullFile(t *testing.T) func() (*os.File, error) {
	t.Helper()
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	link := filepath.Join(t.TempDir(), "full")
	if err := os.Symlink("/dev/full", link); err != nil {
		t.Fatal(err)
	}
	return func() (*os.File, error) { return os.OpenFile(link, os.O_RDWR, 0) }
}

// TestSpoolTempSpaceFull: a batch's body that cannot be spooled for a
// full temporary directory — its file refused (ENOSPC on creating it) or
// its writes refused (ENOSPC on writing) — is the server's temporary
// condition, 503 temp_space_full with the Chinese message and the cause
// kept for the log, where it was an internal error (500). Another
// failure to create the file (permission denied) stays internal.
func TestSpoolTempSpaceFull(t *testing.T) {
	body := strings.Repeat("x", 3<<20)
	for name, create := range map[string]func() (*os.File, error){
		"write": fullFile(t),
		"create": func() (*os.File, error) {
			return nil, &fs.PathError{Op: "open", Path: "/tmp/hutong-batch-1", Err: syscall.ENOSPC}
		},
	} {
		s, err := records.SpoolTo(strings.NewReader(body), create)
		if err == nil {
			s.Close()
			t.Fatalf("%s: spooled on a full disk", name)
		}
		e := errs.As(err)
		if e == nil || e.Kind != errs.Unavailable || e.Code != "temp_space_full" || e.Message != errs.TempSpaceMessage {
			t.Errorf("%s: %v; want 503 temp_space_full", name, err)
		}
		if !errors.Is(err, syscall.ENOSPC) {
			t.Errorf("%s: %v does not keep its cause", name, err)
		}
	}
	_, err := records.SpoolTo(strings.NewReader(body), func() (*os.File, error) {
		return nil, &fs.PathError{Op: "open", Path: "/tmp/hutong-batch-1", Err: syscall.EACCES}
	})
	if err == nil || errs.KindOf(err) != errs.Internal {
		t.Errorf("permission denied: %v; want an internal error", err)
	}
}
