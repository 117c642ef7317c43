// Package durable makes files and their names survive a crash: a file's
// data is durable once it is synced, a new name once its folder is. It
// also words a file operation's failure for the user (Reason).
package durable

import (
	"errors"
	"io/fs"
	"os"
	"runtime"
	"syscall"
)

// SyncFile flushes the file at path to stable storage.
func SyncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// SyncDir flushes a folder's entries, so that a file created, linked or
// renamed in it keeps its name after a crash. File systems that cannot
// sync a folder (some network and FUSE file systems answer EINVAL or
// ENOTSUP; Windows does not open folders for writing) keep names by
// their own means, and there it does nothing.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if cannotSyncDir(err) {
		return nil
	}
	return err
}

func cannotSyncDir(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, errors.ErrUnsupported)
}

// Reason is the operating system's reason in err, without the operation
// and path that *fs.PathError adds ("bad file descriptor", not
// "read /dev/stdin: bad file descriptor"), for messages that name the path
// themselves.
func Reason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
