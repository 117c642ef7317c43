//go:build !linux

package backup

import "os/exec"

// dieWithParent does nothing where the kernel cannot kill a child when its
// parent dies (Pdeathsig is Linux's).
func dieWithParent(cmd *exec.Cmd) {}
