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
// writer ("write workbook: …"), fails for want of space or with an I/O
// error is said in Chinese, naming the file asked for, not the temporary
// file beside it, and leaves no file; with a file in place (-force) that
// file is kept. Write's domain errors pass unchanged.
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
		{"io", false, failing(syscall.EIO), func(out string) string { return "无法写入 " + out + "：input/output error" }},
		{"too large", true, failing(syscall.EFBIG), func(out string) string { return "无法写入 " + out + "：file too large" }},
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
