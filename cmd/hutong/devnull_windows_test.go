package main

import (
	"os"
	"testing"
)

// TestDevNullPipeWindows: a pipe, as a script capturing the output
// ($k = hutong app create …) gives, is not taken for NUL, to which
// os.SameFile likened it (and a console), so that app create failed.
func TestDevNullPipeWindows(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if devNull(w) {
		t.Error("a pipe was taken for NUL")
	}
}
