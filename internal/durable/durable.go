// Package durable makes files and their names survive a crash: a file's
// data is durable once it is synced, a new name once its folder is. It
// also words a file operation's failure for the user (Reason,
// WriteFailed).
package durable

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"

	"github.com/hutong-gov/hutong/internal/errs"
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
// and paths that *fs.PathError or *os.LinkError adds ("bad file
// descriptor", not "read /dev/stdin: bad file descriptor"), for messages
// that name the path themselves.
func Reason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// WriteFailed says in one Chinese line that the file a command writes at
// path (what it is, as "备份", or "") could not be written because of err,
// naming path, never the temporary file beside it that err may name, for
// the reason WriteReason gives ("无法写入备份 /srv/b.db：磁盘空间不足").
func WriteFailed(what, path string, err error) error {
	if abs, aerr := filepath.Abs(path); aerr == nil {
		path = abs
	}
	return fmt.Errorf("无法写入%s %s：%s", what, path, WriteReason(err))
}

// WriteReason is why a file could not be written, in Chinese where the
// system's reason is one a user meets writing a file: a full disk or
// quota (errs.IsTempSpace) as 磁盘空间不足, an I/O error (EIO) as
// 输入输出错误（磁盘或文件系统故障）, a file larger than the system allows
// (EFBIG: the file system's largest file, or the process's limit, ulimit
// -f) as 文件超过系统允许的大小; any other reason as Reason gives it.
func WriteReason(err error) string {
	switch {
	case errs.IsTempSpace(err):
		return "磁盘空间不足"
	case errors.Is(err, syscall.EIO):
		return "输入输出错误（磁盘或文件系统故障）"
	case errors.Is(err, syscall.EFBIG):
		return "文件超过系统允许的大小"
	}
	return Reason(err).Error()
}
