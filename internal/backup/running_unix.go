//go:build unix

package backup

import (
	"errors"
	"syscall"
)

// running reports whether a process with the id pid exists: signal 0
// finds it, or is refused because it belongs to another user.
func running(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
