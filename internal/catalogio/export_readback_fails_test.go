//go:build unix

package catalogio_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestExportReadBackFails: a CSV or JSON lines export whose temporary file,
// once written, cannot be rewound (a pipe: illegal seek) or read back (a
// file opened for writing only: bad file descriptor) says so in Chinese,
// naming the file (无法读回临时文件 …), where it was the system's English
// ("export: temporary file: seek |1: illegal seek", or "read …: bad file
// descriptor" bare); nothing is written to the client. Both engines.
func TestExportReadBackFails(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for _, r := range resources() {
			create(t, w, w.gaj, r)
		}
		for _, f := range []catalogio.Format{catalogio.CSV, catalogio.JSONL} {
			r, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			drained := make(chan struct{})
			go func() {
				io.Copy(io.Discard, r)
				close(drained)
			}()
			var out bytes.Buffer
			_, err = catalogio.ExportTo(context.Background(), db, w.gaj, &out, f, catalogio.ExportOptions{},
				func() (*os.File, error) { return pw, nil })
			<-drained
			r.Close()
			if want := "无法读回临时文件 " + pw.Name() + "：illegal seek"; err == nil || err.Error() != want {
				t.Errorf("%s not rewound: %v, want %s", f, err, want)
			}
			if out.Len() != 0 {
				t.Errorf("%s not rewound: %d bytes written to the client", f, out.Len())
			}

			// To a buffer (a client) and to a file (the CLI's -o), whose
			// ReadFrom copied with copy_file_range and said the read's
			// failure as the output's ("write …/out: copy_file_range:
			// bad file descriptor").
			dir := t.TempDir()
			file, err := os.OpenFile(filepath.Join(dir, "out"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				t.Fatal(err)
			}
			out.Reset()
			for i, dst := range []io.Writer{&out, file} {
				spool := filepath.Join(dir, "spool"+strconv.Itoa(i))
				_, err = catalogio.ExportTo(context.Background(), db, w.gaj, dst, f, catalogio.ExportOptions{}, func() (*os.File, error) {
					return os.OpenFile(spool, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
				})
				if want := "无法读回临时文件 " + spool + "：bad file descriptor"; err == nil || err.Error() != want {
					t.Errorf("%s to %T not read back: %v, want %s", f, dst, err, want)
				}
			}
			if out.Len() != 0 {
				t.Errorf("%s not read back: %d bytes written to the client", f, out.Len())
			}
			if fi, err := file.Stat(); err != nil || fi.Size() != 0 {
				t.Errorf("%s not read back: written to the file (%v)", f, err)
			}
			file.Close()
		}
	})
}
