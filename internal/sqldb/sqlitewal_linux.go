package sqldb

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// walInUse reports whether a process, this one included, has the SQLite
// database at path open in WAL mode: each connection holds a lock on its
// -shm file as long as it is open, which /proc/locks lists by inode. It
// reports true too when it cannot tell (no /proc/locks).
func walInUse(path string) bool {
	var st syscall.Stat_t
	if err := syscall.Stat(path+"-shm", &st); err != nil {
		// Without a -shm no connection reads the -wal (each maps it).
		return !errors.Is(err, syscall.ENOENT)
	}
	f, err := os.Open("/proc/locks")
	if err != nil {
		return true
	}
	defer f.Close()
	ino := fmt.Sprint(st.Ino)
	s := bufio.NewScanner(f)
	for s.Scan() {
		// "1: POSIX  ADVISORY  READ 4655 fe:00:10101906 128 128"; a
		// waiter has "->" after the number.
		for _, field := range strings.Fields(s.Text()) {
			if parts := strings.Split(field, ":"); len(parts) == 3 && parts[2] == ino {
				if _, err := strconv.ParseUint(parts[0], 16, 32); err == nil {
					return true
				}
			}
		}
	}
	return s.Err() != nil
}
