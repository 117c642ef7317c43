package sqldb

import (
	"bufio"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// procLocks is the kernel's list of file locks.
var procLocks = "/proc/locks"

// shmLockStart and shmLockLen are the bytes of a -shm file that SQLite's
// unix VFS locks (UNIX_SHM_BASE 120, SQLITE_SHM_NLOCK 8 locks and the
// DMS byte 128 after them): each connection holds a read lock on the DMS
// byte as long as it has the database open in WAL mode.
const shmLockStart, shmLockLen = 120, 9

// fOFDGetlk is F_OFD_GETLK (Linux 3.15), which the syscall package lacks.
const fOFDGetlk = 36

// walInUse reports whether a process, this one included, has the SQLite
// database at path open in WAL mode: each connection holds a lock on its
// -shm file as long as it is open. /proc/locks lists it, by device and
// inode, but only for processes of the reader's PID namespace: a server
// in another container on a shared volume is not listed. So when it lists
// none, walInUse asks the kernel whether any lock at all conflicts with a
// write lock on the -shm's lock bytes (fcntl F_OFD_GETLK), which it
// answers whatever process or namespace holds it. Closing the descriptor
// that asks drops every traditional (POSIX) lock this process holds on
// the file, SQLite's own among them, so it asks only when /proc/locks
// lists no lock of this process on a file of the -shm's inode number;
// Open calls it before this process opens the database. It reports true
// too when it cannot tell.
func walInUse(path string) bool {
	shm := path + "-shm"
	var st syscall.Stat_t
	if err := syscall.Stat(shm, &st); err != nil {
		// Without a -shm no connection reads the -wal (each maps it).
		return !errors.Is(err, syscall.ENOENT)
	}
	listed, mine, err := lockListed(uint64(st.Dev), uint64(st.Ino))
	if err != nil || listed || mine {
		return true
	}
	return shmLocked(shm)
}

// lockListed reads procLocks for locks on inode ino: listed, one on
// device dev; mine, one of this process on any device (a file system
// such as overlayfs or a btrfs subvolume may give stat another device
// than the one /proc/locks names).
func lockListed(dev, ino uint64) (listed, mine bool, err error) {
	f, err := os.Open(procLocks)
	if err != nil {
		return false, false, err
	}
	defer f.Close()
	self, err := os.Readlink("/proc/self") // this process's number as that /proc counts
	if err != nil {
		return false, false, err
	}
	want := strconv.FormatUint(ino, 10)
	s := bufio.NewScanner(f)
	for s.Scan() {
		// "1: POSIX  ADVISORY  READ 4655 fe:00:10101906 128 128"
		// (major and minor in hex, the inode in decimal); a waiter
		// has "->" after the number.
		fields := strings.Fields(s.Text())
		for i, field := range fields {
			parts := strings.Split(field, ":")
			if len(parts) != 3 || parts[2] != want {
				continue
			}
			major, err1 := strconv.ParseUint(parts[0], 16, 32)
			minor, err2 := strconv.ParseUint(parts[1], 16, 32)
			if err1 != nil || err2 != nil {
				continue
			}
			if major == devMajor(dev) && minor == devMinor(dev) {
				listed = true
			}
			if i > 0 && fields[i-1] == self {
				mine = true
			}
		}
	}
	return listed, mine, s.Err()
}

// shmLocked reports whether any process holds a lock on the lock bytes of
// the -shm file shm: true too when it cannot tell.
func shmLocked(shm string) bool {
	f, err := os.Open(shm)
	if err != nil {
		return !errors.Is(err, os.ErrNotExist)
	}
	defer f.Close()
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: shmLockStart, Len: shmLockLen}
	if err := syscall.FcntlFlock(f.Fd(), fOFDGetlk, &lk); err != nil {
		return true
	}
	return lk.Type != syscall.F_UNLCK
}

// devMajor and devMinor split a device number as Linux encodes it
// (glibc's gnu_dev_major and gnu_dev_minor).
func devMajor(dev uint64) uint64 { return (dev>>8)&0xfff | (dev>>32)&^0xfff }

func devMinor(dev uint64) uint64 { return dev&0xff | (dev>>12)&^0xff }
