//go:build unix && !linux

package sqldbtest

import (
	"os"
	"syscall"
)

// setParentDeathSignal does nothing here: only Linux can signal a child when
// its parent dies, so a test binary that dies without Main's cleanup leaves
// its server running.
func setParentDeathSignal(attr *syscall.SysProcAttr, sig syscall.Signal) {}

func fastTempDir() string { return os.TempDir() }
