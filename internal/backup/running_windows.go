package backup

import (
	"errors"
	"syscall"
)

// stillActive is the exit code GetExitCodeProcess reports for a process
// that has not exited (STILL_ACTIVE).
const stillActive = 259

// running reports whether a process with the id pid exists: it can be
// opened and has no exit code yet, or opening it is refused because it
// belongs to another user. A process that has exited but whose handle
// another process still holds can be opened, and has its exit code.
func running(pid int) bool {
	h, err := syscall.OpenProcess(syscall.PROCESS_QUERY_INFORMATION, false, uint32(pid))
	if err != nil {
		return errors.Is(err, syscall.ERROR_ACCESS_DENIED)
	}
	defer syscall.CloseHandle(h)
	var code uint32
	if err := syscall.GetExitCodeProcess(h, &code); err != nil {
		return true
	}
	return code == stillActive
}
