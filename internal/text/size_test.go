package text

import "testing"

// TestSize: a size is said in MB (binary) when it is whole MiB, else in
// bytes.
func TestSize(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{{256 << 20, "256 MB"}, {1 << 20, "1 MB"}, {1<<20 + 1, "1048577 字节"}, {500, "500 字节"}} {
		if got := Size(c.n); got != c.want {
			t.Errorf("Size(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
