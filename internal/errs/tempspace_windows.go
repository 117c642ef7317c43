package errs

import "syscall"

// diskFullErrnos are the errors Windows gives for a full disk or quota:
// ERROR_HANDLE_DISK_FULL (39) and ERROR_DISK_FULL (112), which the syscall
// package does not name. Its ENOSPC and EDQUOT there are Go's own values,
// which no Windows call returns.
var diskFullErrnos = []syscall.Errno{39, 112}
