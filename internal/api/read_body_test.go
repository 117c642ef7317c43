package api

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// TestReadBodyDeclaredLength: readBody made its buffer the request's
// declared length before any data arrived, so 8 connections declaring
// 256 MB and sending 13 bytes each had the server reserve 2 GB. It now
// reserves at most 1 MiB, and 8 times what arrived: a body declaring 256
// MiB and holding 13 bytes, or 4 MiB, is read with little more allocated
// than that; an upload of its declared length is read whole.
func TestReadBodyDeclaredLength(t *testing.T) {
	read := func(declared int64, body []byte) ([]byte, uint64) {
		t.Helper()
		r, err := http.NewRequest("POST", "/api/v1/catalog/import", nil)
		if err != nil {
			t.Fatal(err)
		}
		r.ContentLength = declared
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got, err := readBody(r, io.MultiReader(bytes.NewReader(body)))
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, body) {
			t.Fatalf("declared %d, sent %d bytes: read %d bytes, not the body", declared, len(body), len(got))
		}
		return got, after.TotalAlloc - before.TotalAlloc
	}
	const mib = 1 << 20
	for _, c := range []struct {
		what     string
		declared int64
		body     []byte
		max      uint64
	}{
		{"256 MiB declared, 13 bytes sent", MaxUploadBody, []byte("hello, world!"), 2 * mib},
		{"256 MiB declared, 4 MiB sent", MaxUploadBody, bytes.Repeat([]byte("x"), 4*mib), 8 * mib},
		{"length unknown, 13 bytes sent", -1, []byte("hello, world!"), 2 * mib},
		// The 8 MiB read in one buffer of its length beside the 1 and
		// 2 MiB ones it started with.
		{"8 MiB declared and sent", 8 * mib, bytes.Repeat([]byte("x"), 8*mib), 12 * mib},
		{"length unknown, 8 MiB sent", -1, bytes.Repeat([]byte("x"), 8*mib), 16 * mib},
	} {
		got, n := read(c.declared, c.body)
		if n > c.max {
			t.Errorf("%s: allocated %d bytes, want at most %d", c.what, n, c.max)
		}
		if c.declared > 0 && int64(len(got)) == c.declared && int64(cap(got)) > c.declared+1 {
			t.Errorf("%s: buffer of %d bytes for a body of %d", c.what, cap(got), c.declared)
		}
	}
	if _, n := read(13, []byte(strings.Repeat("x", 13))); n > 1<<10 {
		t.Errorf("13 bytes declared and sent: allocated %d bytes", n)
	}
}
