package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/hutong-gov/hutong/internal/durable"
)

// absPath returns the absolute form of path for messages, or path itself.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// openInput opens the input file path named by flag (as "-file") and
// explains in a sentence why it cannot, instead of passing on the
// operating system's "open X: no such file or directory".
func openInput(path, flag string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, inputError(path, flag, err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s 是文件夹，不是文件（请检查 %s）", absPath(path), flag)
	}
	return f, nil
}

func inputError(path, flag string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("文件 %s 不存在（请检查 %s）", absPath(path), flag)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("无法读取 %s：没有权限", absPath(path))
	}
	return fmt.Errorf("无法读取 %s：%v", absPath(path), durable.Reason(err))
}

// checkOutputDir refuses to write path when its folder does not exist or
// is not a folder, saying so, before any work is done: writing there
// fails only at the end, with an error about a temporary file's name.
func checkOutputDir(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("文件夹 %s 不存在：请先创建，或另选输出路径", absPath(dir))
	case err != nil:
		return fmt.Errorf("无法使用文件夹 %s：%v", absPath(dir), durable.Reason(err))
	case !st.IsDir():
		return fmt.Errorf("%s 不是文件夹", absPath(dir))
	}
	return nil
}

// writeFileAtomic writes path through write: into a new file beside it,
// synced, then put in place, so that a failed or interrupted write leaves
// neither a half-written file nor a damaged old one. An existing path is
// refused unless replace (its permissions are kept then); the new file is
// linked into place, so that a file that appears meanwhile is not
// overwritten either.
func writeFileAtomic(path string, replace bool, write func(io.Writer) error) error {
	mode := fs.FileMode(0o666) // less the umask, as os.Create
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return fmt.Errorf("%s 是文件夹：请指定要写入的文件", absPath(path))
	case err == nil && !replace:
		return fmt.Errorf("%s 已存在：加 -force 可替换它，或另选 -o", absPath(path))
	case err == nil:
		mode = st.Mode().Perm()
	case !errors.Is(err, fs.ErrNotExist):
		return durable.WriteFailed("", path, err)
	}
	if err := checkOutputDir(path); err != nil {
		return err
	}
	dir, base := filepath.Split(path)
	// The new file is created, never opened through what lies at its name
	// (O_EXCL does not follow a symlink, which another user may have put
	// in a shared folder); one left by an earlier run is removed first.
	name := filepath.Join(dir, "."+base+".partial-"+strconv.Itoa(os.Getpid()))
	tmp, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if errors.Is(err, fs.ErrExist) && os.Remove(name) == nil {
		tmp, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	}
	if err != nil {
		return fmt.Errorf("无法在文件夹 %s 中写入：%v", absPath(filepath.Dir(path)), durable.Reason(err))
	}
	defer os.Remove(tmp.Name())
	if replace && st != nil {
		if err := tmp.Chmod(mode); err != nil { // the umask may have narrowed it
			tmp.Close()
			return durable.WriteFailed("", path, err)
		}
	}
	err = write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	// The temporary file's own failure (a full disk, an I/O error) is said
	// of path, whatever wraps it ("write workbook: write .x.partial-…");
	// write's other errors (a domain error, the database's) are its own.
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == tmp.Name() {
		return durable.WriteFailed("", path, err)
	}
	if err != nil {
		return err
	}
	if !replace {
		err = linkFile(tmp.Name(), path)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s 已存在：加 -force 可替换它，或另选 -o", absPath(path))
		}
		if _, serr := os.Lstat(path); err != nil && errors.Is(serr, fs.ErrNotExist) {
			replace = true // a file system without hard links: rename, as the check above allows
		}
	}
	if replace {
		err = renameFile(tmp.Name(), path)
	}
	if err != nil {
		return durable.WriteFailed("", path, err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("已写入 %s，但无法将其同步到磁盘：%s", absPath(path), durable.WriteReason(err))
	}
	return nil
}

// syncDir is durable.SyncDir; tests replace it to fail as a failing disk
// does.
var syncDir = durable.SyncDir

// linkFile and renameFile are os.Link and os.Rename; tests replace them to
// fail as a full disk does.
var linkFile, renameFile = os.Link, os.Rename
