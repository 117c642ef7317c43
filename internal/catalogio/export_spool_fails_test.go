//go:build linux

package catalogio_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestExportSpoolFails: a CSV or JSON lines export whose temporary file
// cannot be written for another reason than space (past the process's
// file size limit, ulimit -f: EFBIG) or created (EIO) says so in Chinese,
// naming the file or its folder, where it was the system's English
// ("export: temporary file: write /tmp/…: file too large"); nothing is
// written to the client. The limit is the test process's own, lowered for
// the export only (the Go runtime ignores SIGXFSZ). Both engines.
func TestExportSpoolFails(t *testing.T) {
	dir := t.TempDir()
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for _, r := range resources() {
			create(t, w, w.gaj, r)
		}
		for _, f := range []catalogio.Format{catalogio.CSV, catalogio.JSONL} {
			var spool string
			createSpool := func() (*os.File, error) {
				file, err := os.CreateTemp(dir, "spool-*")
				if err == nil {
					spool = file.Name()
				}
				return file, err
			}
			var old syscall.Rlimit
			if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
				t.Fatal(err)
			}
			limit := old
			limit.Cur = 0
			if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &limit); err != nil {
				t.Skipf("cannot lower the file size limit: %v", err)
			}
			var out bytes.Buffer
			_, err := catalogio.ExportTo(context.Background(), db, w.gaj, &out, f, catalogio.ExportOptions{}, createSpool)
			if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
				t.Fatal(err)
			}
			if want := "无法写入临时文件 " + spool + "：文件超过系统允许的大小"; err == nil || err.Error() != want {
				t.Errorf("%s past the file size limit: %v, want %s", f, err, want)
			}
			if out.Len() != 0 {
				t.Errorf("%s past the file size limit: %d bytes written to the client", f, out.Len())
			}

			out.Reset()
			_, err = catalogio.ExportTo(context.Background(), db, w.gaj, &out, f, catalogio.ExportOptions{}, func() (*os.File, error) {
				return nil, &fs.PathError{Op: "open", Path: "/tmp/hutong-export-1", Err: syscall.EIO}
			})
			if want := "无法在临时文件夹 " + os.TempDir() + " 中新建文件：输入输出错误（磁盘或文件系统故障）"; err == nil || err.Error() != want {
				t.Errorf("%s temporary file not created: %v, want %s", f, err, want)
			}
			if out.Len() != 0 {
				t.Errorf("%s temporary file not created: %d bytes written to the client", f, out.Len())
			}
		}
	})
}
