package sqldb

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// fileState is what the file system says of a SQLite database's path,
// read after SQLite failed to open it (probeFile), to tell which of its
// causes it was: SQLite says "unable to open database file" for all.
type fileState struct {
	path     string
	dirErr   error  // os.Stat of its folder
	notDir   string // the file that stands where its folder, or a folder above it, should be
	isDir    bool   // the path names a folder
	missing  bool   // no file at the path
	readErr  error  // opening the file for reading
	writeErr error  // opening it for writing (not truncated)
	sideErr  error  // opening an existing -wal or -shm beside it for reading and writing
	mkErr    error  // creating a file in its folder, as SQLite creates -wal and -shm
}

// probeFile reads the state of the SQLite database at path. It creates
// and removes one empty file in the folder to learn whether files can be
// made there.
func probeFile(path string) fileState {
	st := fileState{path: path}
	dir := filepath.Dir(path)
	_, err := os.Stat(dir)
	if st.notDir = FileOnPath(dir); st.notDir != "" {
		return st
	}
	if st.dirErr = err; err != nil {
		return st
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		st.missing = true
	case err == nil && fi.IsDir():
		st.isDir = true
		return st
	}
	if !st.missing {
		if f, err := os.Open(path); err != nil {
			st.readErr = err
		} else {
			f.Close()
		}
		if f, err := os.OpenFile(path, os.O_WRONLY, 0); err != nil {
			st.writeErr = err
		} else {
			f.Close()
		}
	}
	for _, side := range []string{path + "-wal", path + "-shm"} {
		f, err := os.OpenFile(side, os.O_RDWR, 0)
		if err == nil {
			f.Close()
		} else if !errors.Is(err, fs.ErrNotExist) && st.sideErr == nil {
			st.sideErr = err
		}
	}
	if f, err := os.CreateTemp(dir, ".hutong-probe-*"); err != nil {
		st.mkErr = err
	} else {
		f.Close()
		os.Remove(f.Name())
	}
	return st
}

// FileOnPath returns dir or the nearest folder above it that is a file,
// not a folder (afile in afile/x.db), or "" when there is none.
func FileOnPath(dir string) string {
	for {
		fi, err := os.Stat(dir)
		if err == nil {
			if fi.IsDir() {
				return ""
			}
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}

// cause says in Chinese which of the file system's refusals st shows: a
// file stands where its folder should be, the path is a folder, its
// folder is missing or cannot be entered, the file cannot be read, its
// -wal or -shm cannot be opened, the folder cannot be written (SQLite
// makes -wal and -shm there, even to read), the file cannot be written;
// "" when none.
func (st fileState) cause() string {
	dir := filepath.Dir(st.path)
	switch {
	case st.notDir != "":
		return st.notDir + " 是文件，不是目录（-db 中数据库文件名前的部分应为目录）"
	case errors.Is(st.dirErr, fs.ErrNotExist):
		return "目录 " + dir + " 不存在"
	case st.dirErr != nil:
		return "无权访问目录 " + dir
	case st.isDir:
		return "该路径是目录，不是数据库文件（-db 应指向数据库文件）"
	case st.readErr != nil:
		return "无权读取数据库文件（请以服务器所用的用户运行，或检查文件的属主和权限）"
	case st.sideErr != nil:
		return "无权读写数据库旁的 -wal 或 -shm 文件（请以服务器所用的用户运行，或检查这两个文件的属主和权限）"
	case st.mkErr != nil && st.missing:
		return "目录 " + dir + " 不可写，无法在其中建立数据库文件"
	case st.mkErr != nil:
		return "目录 " + dir + " 不可写：SQLite 须在数据库文件旁建立 -wal 和 -shm 文件，读取时也不例外（请以服务器所用的用户运行，或让该用户可写此目录）"
	case st.writeErr != nil:
		return "无权写入数据库文件（请以服务器所用的用户运行，或检查文件的属主和权限）"
	}
	return ""
}

// sideFiles are the -wal and -shm files beside the SQLite file at path.
func sideFiles(path string) []string {
	var side []string
	for _, p := range []string{path + "-wal", path + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			side = append(side, p)
		}
	}
	return side
}

// corruptCause says that the SQLite database at path is damaged
// (SQLITE_CORRUPT, "database disk image is malformed"), and, when a -wal
// or -shm file lay beside it when it was opened (side), what most often
// makes a restored copy so: the -wal of the database the backup replaced,
// left beside it, which SQLite reads the copy through and may already
// have written into it (docs/backup.md, Restore, step 2).
func corruptCause(path string, side []string) string {
	if len(side) == 0 {
		return "数据库文件已损坏（database disk image is malformed）：请从备份恢复（见 docs/backup.md）"
	}
	return "数据库文件已损坏（database disk image is malformed）。打开时它旁边有 " + strings.Join(side, " 和 ") +
		"：若这是刚恢复的备份，多半是被替换的旧数据库留下的 -wal 和 -shm 被当作它的一部分读入了。" +
		"请停止服务器，将 " + path + " 及其 -wal、-shm 文件一并移走，再重新放入备份文件（见 docs/backup.md 恢复第 2 步）"
}
