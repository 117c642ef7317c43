//go:build unix

package sqldbtest

import (
	"os"
	"syscall"
)

// raise sends sig to this process, whose handler has been reset, so that
// it dies of the signal.
func raise(sig os.Signal) {
	syscall.Kill(os.Getpid(), sig.(syscall.Signal))
}
