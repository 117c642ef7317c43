package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
)

// TestWriteFileFails: an output file whose write, as wrapped by its
// writer ("write workbook: …"), fails for want of space, with an I/O
// error or on a file too large is said in Chinese, naming the file asked
// for, not the temporary file beside it, and leaves no file; with a file
// in place (-force) that file is kept. Write's domain errors pass
// unchanged.
func TestWriteFileFails(t *testing.T) {
	failing := func(errno syscall.Errno) func(io.Writer) error {
		return func(w io.Writer) error {
			if _, err := io.WriteString(w, "a,b\n"); err != nil {
				return err
			}
			return fmt.Errorf("write workbook: %w", &fs.PathError{Op: "write", Path: w.(*os.File).Name(), Err: errno})
		}
	}
	for _, tc := range []struct {
		name    string
		replace bool
		write   func(io.Writer) error
		want    func(out string) string
	}{
		{"full", false, failing(syscall.ENOSPC), func(out string) string { return "无法写入 " + out + "：磁盘空间不足" }},
		{"quota", true, failing(syscall.EDQUOT), func(out string) string { return "无法写入 " + out + "：磁盘空间不足" }},
		{"io", false, failing(syscall.EIO), func(out string) string {
			return "无法写入 " + out + "：输入输出错误（磁盘或文件系统故障）"
		}},
		{"too large", true, failing(syscall.EFBIG), func(out string) string { return "无法写入 " + out + "：文件超过系统允许的大小" }},
		{"domain", false, func(io.Writer) error { return errs.E(errs.Invalid, "bad", "目录有误") }, func(string) string { return "目录有误" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "x.xlsx")
			if tc.replace {
				if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := writeFileAtomic(out, tc.replace, tc.write)
			if err == nil || message(err) != tc.want(out) || strings.Contains(message(err), ".partial-") {
				t.Errorf("writeFileAtomic: %v, want %s", err, tc.want(out))
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if b, err := os.ReadFile(filepath.Join(dir, e.Name())); !tc.replace || e.Name() != "x.xlsx" || err != nil || string(b) != "old" {
					t.Errorf("left in %s: %s (%q)", dir, e.Name(), b)
				}
			}
		})
	}
}

// TestPutInPlaceFails: a written file that cannot be put in place (linked
// or, with -force, renamed: a full disk, a folder that cannot grow, an
// I/O error) is said as a failed write is, naming the file asked for and
// not the temporary file: 磁盘空间不足 for a full disk, where it said "no
// space left on device" and named the temporary file beside it, and an
// I/O error or a file too large in Chinese too.
func TestPutInPlaceFails(t *testing.T) {
	defer func(l, r func(string, string) error) { linkFile, renameFile = l, r }(linkFile, renameFile)
	var errno syscall.Errno
	linkFile = func(old, new string) error { return &os.LinkError{Op: "link", Old: old, New: new, Err: errno} }
	renameFile = func(old, new string) error { return &os.LinkError{Op: "rename", Old: old, New: new, Err: errno} }
	for _, tc := range []struct {
		errno   syscall.Errno
		replace bool
		want    string
	}{
		{syscall.ENOSPC, false, "磁盘空间不足"},
		{syscall.ENOSPC, true, "磁盘空间不足"},
		{syscall.EDQUOT, true, "磁盘空间不足"},
		{syscall.EIO, false, "输入输出错误（磁盘或文件系统故障）"},
		{syscall.EFBIG, true, "文件超过系统允许的大小"},
	} {
		errno = tc.errno
		dir := t.TempDir()
		out := filepath.Join(dir, "x.csv")
		if tc.replace {
			if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		err := writeFileAtomic(out, tc.replace, func(w io.Writer) error { _, err := io.WriteString(w, "a,b\n"); return err })
		if want := "无法写入 " + out + "：" + tc.want; err == nil || message(err) != want {
			t.Errorf("%v (replace %v): %v; want %s", tc.errno, tc.replace, err, want)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if b, err := os.ReadFile(filepath.Join(dir, e.Name())); !tc.replace || e.Name() != "x.csv" || err != nil || string(b) != "old" {
				t.Errorf("%v: left in %s: %s (%q)", tc.errno, dir, e.Name(), b)
			}
		}
	}
}

// TestWriteFileStatFails: an output path that cannot be looked at (a file where its
// folder should be) is said as a failed write is, through one wording.
func TestWriteFileStatFails(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "f", "x.csv")
	err := writeFileAtomic(out, false, func(io.Writer) error { t.Error("write called"); return nil })
	if want := "无法写入 " + out + "：not a directory"; err == nil || message(err) != want {
		t.Errorf("writeFileAtomic: %v; want %s", err, want)
	}
}
