package web

import "testing"

// TestFormatSize: a size is said in MiB when it is whole MiB, else in
// bytes.
func TestFormatSize(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{{256 << 20, "256 MiB"}, {1 << 20, "1 MiB"}, {1<<20 + 1, "1048577 字节"}, {500, "500 字节"}} {
		if got := formatSize(c.n); got != c.want {
			t.Errorf("formatSize(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
