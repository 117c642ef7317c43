//go:build !windows

package errs

import "syscall"

// diskFullErrnos are the errors, besides ENOSPC and EDQUOT, the system
// gives for a full disk or quota: none but on Windows.
var diskFullErrnos []syscall.Errno
