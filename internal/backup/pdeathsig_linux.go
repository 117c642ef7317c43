package backup

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill cmd's process (SIGKILL) when the
// thread that started it exits, as it does when hutong is killed, so that
// a pg_dump does not run on, orphaned, after its backup is gone.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
