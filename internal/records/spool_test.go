package records_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/hutong-gov/hutong/internal/records"
)

// TestSpool: a body is read whole, in memory when small and into an
// unlinked temporary file when not; its digest is the SHA-256 of what was sent; it
// reads again from its start; closing removes the file; a failed read is
// the Spool's error.
func TestSpool(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for name, size := range map[string]int{"small": 100, "large": 3 << 20} {
		body := strings.Repeat("x", size)
		sum := sha256.Sum256([]byte(body))
		s, err := records.Spool(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		// A large body's file is unlinked at once: a server killed while
		// it applies the batch leaves nothing behind.
		if files, _ := filepath.Glob(filepath.Join(tmp, "hutong-batch-*")); len(files) != 0 {
			t.Errorf("%s body: temporary files %v while it is held", name, files)
		}
		if s.Size != int64(size) || s.Digest != hex.EncodeToString(sum[:]) {
			t.Errorf("%s body: size %d digest %s", name, s.Size, s.Digest)
		}
		for range 2 {
			got, err := io.ReadAll(s)
			if err != nil || !bytes.Equal(got, []byte(body)) {
				t.Fatalf("%s body read back: %d bytes, %v", name, len(got), err)
			}
			if err := s.Rewind(); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if files, _ := filepath.Glob(filepath.Join(tmp, "hutong-batch-*")); len(files) != 0 {
			t.Errorf("%s body: %v left after Close", name, files)
		}
	}
	broken := errors.New("connection reset")
	for _, size := range []int{10, 2 << 20} {
		_, err := records.Spool(io.MultiReader(strings.NewReader(strings.Repeat("x", size)), iotest.ErrReader(broken)))
		if !errors.Is(err, broken) {
			t.Errorf("body of %d bytes, then a failed read: %v", size, err)
		}
	}
	if files, _ := os.ReadDir(tmp); len(files) != 0 {
		t.Errorf("left in the temporary directory: %v", files)
	}
}
