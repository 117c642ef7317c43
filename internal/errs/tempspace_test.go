package errs_test

import (
	"io/fs"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
)

// TestTempSpace: a file's creation or write refused for want of space
// (ENOSPC, EDQUOT) is a full temporary directory, 503 temp_space_full
// keeping its cause; another failure (permission denied) is returned as it
// is.
func TestTempSpace(t *testing.T) {
	for _, n := range []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT} {
		err := errs.TempSpace(&fs.PathError{Op: "write", Path: "/tmp/hutong-export-1", Err: n})
		if e := errs.As(err); e == nil || e.Kind != errs.Unavailable || e.Code != "temp_space_full" || !errs.IsTempSpace(err) {
			t.Errorf("TempSpace(%v) = %v; want 503 temp_space_full", n, err)
		}
	}
	denied := &fs.PathError{Op: "open", Path: "/tmp/hutong-export-1", Err: fs.ErrPermission}
	if err := errs.TempSpace(denied); err != denied || errs.IsTempSpace(denied) {
		t.Errorf("TempSpace(permission denied) = %v; want it as it is", err)
	}
}
