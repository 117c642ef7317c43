package errs_test

import (
	"io/fs"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
)

// TestTempSpaceWindows: the errors Windows gives for a full disk
// (ERROR_DISK_FULL, 112) or quota (ERROR_HANDLE_DISK_FULL, 39) are a full
// temporary directory, as ENOSPC is elsewhere; syscall's ENOSPC is Go's own
// value there, which no Windows call returns.
func TestTempSpaceWindows(t *testing.T) {
	for _, n := range []syscall.Errno{39, 112} {
		err := errs.TempSpace(&fs.PathError{Op: "write", Path: `C:\Temp\hutong-export-1`, Err: n})
		if e := errs.As(err); e == nil || e.Kind != errs.Unavailable || e.Code != "temp_space_full" {
			t.Errorf("TempSpace(errno %d) = %v; want 503 temp_space_full", uint(n), err)
		}
	}
	if err := errs.TempSpace(&fs.PathError{Op: "open", Err: syscall.ERROR_ACCESS_DENIED}); errs.As(err) != nil {
		t.Errorf("TempSpace(access denied) = %v; want it as it is", err)
	}
}
