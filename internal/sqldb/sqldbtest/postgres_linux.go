package sqldbtest

import (
	"os"
	"syscall"
)

func setParentDeathSignal(attr *syscall.SysProcAttr, sig syscall.Signal) {
	attr.Pdeathsig = sig
}

// fastTempDir returns where to put the cluster: /dev/shm when it is a tmpfs
// with room to spare, else the usual temporary directory. Every CREATE
// DATABASE creates about a thousand files; on a busy ext4 /tmp that took
// 300 ms against 15 ms on tmpfs, and initdb 1.3 s against 0.3 s.
func fastTempDir() string {
	const (
		dir        = "/dev/shm"
		tmpfsMagic = 0x01021994
		minFree    = 1 << 30
	)
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return os.TempDir()
	}
	if int64(st.Type) != tmpfsMagic || uint64(st.Bavail)*uint64(st.Bsize) < minFree {
		return os.TempDir()
	}
	return dir
}
