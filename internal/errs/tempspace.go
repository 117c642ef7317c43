package errs

import (
	"errors"
	"syscall"
)

// TempSpaceMessage says that the server's temporary space is full, and
// what to do.
const TempSpaceMessage = "服务器临时空间已满，无法暂存本次上传或导出的数据：请稍后重试；如仍失败，请联系运维人员腾出服务器临时目录所在磁盘的空间"

// TempSpace returns err, the failure to create or write a temporary file
// (a batch's body or an export spooled there), as the server's temporary
// condition it is when the disk or the quota of the temporary directory
// is full (ENOSPC, EDQUOT): Unavailable (503, with Retry-After),
// temp_space_full, keeping err as its cause for the operator's log.
// Otherwise it returns err.
func TempSpace(err error) error {
	if IsTempSpace(err) {
		return Wrap(Unavailable, "temp_space_full", TempSpaceMessage, err)
	}
	return err
}

// IsTempSpace reports whether err is the failure of a file's creation or
// write for want of space: the disk or the quota of its directory full
// (ENOSPC, EDQUOT; on Windows also the errors the system gives for them,
// diskFullErrnos).
func IsTempSpace(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	for _, n := range diskFullErrnos {
		if errors.Is(err, n) {
			return true
		}
	}
	return false
}
