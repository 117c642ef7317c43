package sqldb

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWALInUseOtherDevice: walInUse took a lock in /proc/locks on any
// device for one on the -shm when the inode numbers were equal, so a
// server's lock on a file of another file system with the -shm's inode
// number (each file system counts its own) made a copy no process has
// open read as in use, and its -wal went unchecked. The device must match
// too.
func TestWALInUseOtherDevice(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	if err := os.WriteFile(path+"-shm", make([]byte, 32768), 0o600); err != nil {
		t.Fatal(err)
	}
	var st syscall.Stat_t
	if err := syscall.Stat(path+"-shm", &st); err != nil {
		t.Fatal(err)
	}
	locks := filepath.Join(dir, "locks")
	line := func(major, minor uint64) string {
		return fmt.Sprintf("1: POSIX  ADVISORY  READ 4655 %02x:%02x:%d 128 128\n", major, minor, st.Ino)
	}
	saved := procLocks
	t.Cleanup(func() { procLocks = saved })
	procLocks = locks
	major, minor := devMajor(st.Dev), devMinor(st.Dev)
	if err := os.WriteFile(locks, []byte(line(major+1, minor)+line(major, minor+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if walInUse(path) {
		t.Errorf("walInUse with locks on the -shm's inode number of other devices only: true")
	}
	if err := os.WriteFile(locks, []byte(line(major, minor)), 0o600); err != nil {
		t.Fatal(err)
	}
	if !walInUse(path) {
		t.Errorf("walInUse with a lock on the -shm's device and inode: false")
	}
}

// TestWALInUseOtherPIDNamespace: /proc/locks lists only the locks of
// processes in the reader's PID namespace, so a command run in another
// container than the server's, on a volume they share, took the live
// server's -wal for one left over and ran a quick_check of the whole
// database (6–12 s a GiB) at every start. A database open in this process
// is checked from a child in a PID namespace of its own (unshare, where
// user namespaces are allowed): it reads as in use.
func TestWALInUseOtherPIDNamespace(t *testing.T) {
	if path := os.Getenv("HUTONG_TEST_WAL_IN_USE"); path != "" {
		fmt.Printf("walInUse=%v\n", walInUse(path))
		return
	}
	if path := os.Getenv("HUTONG_TEST_SHM_LOCKED"); path != "" {
		fmt.Printf("shmLocked=%v\n", shmLocked(path+"-shm"))
		return
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("no unshare")
	}
	if out, err := exec.Command(unshare, "-Urpf", "--mount-proc", "true").CombinedOutput(); err != nil {
		t.Skipf("no PID namespace for an unprivileged user here: %v %s", err, out)
	}
	path := filepath.Join(t.TempDir(), "h.db")
	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Write().ExecContext(t.Context(), `CREATE TABLE t (x); INSERT INTO t VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(unshare, "-Urpf", "--mount-proc", os.Args[0], "-test.run=^TestWALInUseOtherPIDNamespace$")
	cmd.Env = append(os.Environ(), "HUTONG_TEST_WAL_IN_USE="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(string(out), "walInUse=true") {
		t.Errorf("walInUse from another PID namespace of a database open here: %s", out)
	}
	// And the probe left this process's own locks in place: a second
	// connection still shares the -shm with the first.
	if _, err := db.Write().ExecContext(t.Context(), `INSERT INTO t VALUES (2)`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM t`).Scan(&n); err != nil || n != 2 {
		t.Errorf("count after the probe: %d, %v", n, err)
	}
	if !walInUse(path) {
		t.Errorf("walInUse in this process of a database open here: false")
	}
}

// TestWALInUseKeepsOwnLocks: the probe's descriptor, closed, would drop
// this process's own SQLite locks on the -shm (POSIX locks belong to the
// process, not the descriptor), so that another process would take the
// database for unused while it is open here. walInUse does not probe a
// file /proc/locks lists a lock of this process on, even under another
// device number (overlayfs, btrfs subvolumes): after it, a process
// asking still finds the lock.
func TestWALInUseKeepsOwnLocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Write().ExecContext(t.Context(), `CREATE TABLE t (x); INSERT INTO t VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	var st syscall.Stat_t
	if err := syscall.Stat(path+"-shm", &st); err != nil {
		t.Fatal(err)
	}
	self, err := os.Readlink("/proc/self")
	if err != nil {
		t.Fatal(err)
	}
	locks := filepath.Join(t.TempDir(), "locks")
	line := fmt.Sprintf("1: POSIX  ADVISORY  READ %s %02x:%02x:%d 128 128\n", self, devMajor(uint64(st.Dev))+1, devMinor(uint64(st.Dev)), st.Ino)
	if err := os.WriteFile(locks, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	saved := procLocks
	t.Cleanup(func() { procLocks = saved })
	procLocks = locks
	if !walInUse(path) {
		t.Errorf("walInUse of a database open here: false")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestWALInUseOtherPIDNamespace$")
	cmd.Env = append(os.Environ(), "HUTONG_TEST_SHM_LOCKED="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(string(out), "shmLocked=true") {
		t.Errorf("after walInUse, another process finds no lock on the -shm of a database open here: %s", out)
	}
}
