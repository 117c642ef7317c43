package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLineWriter: lines get the prefix; a progress line rewritten in place
// shows only its last state, unless progressEvery has passed.
func TestLineWriter(t *testing.T) {
	var b strings.Builder
	w := newLineWriter(&b, "pg: ")
	fmt.Fprintf(w, "  seeding …\n")
	for i := range 5 {
		fmt.Fprintf(w, "\r  catalog: %d / 4", i)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "\r  records: 1")
	w.shown = w.shown.Add(-progressEvery)
	fmt.Fprintf(w, "\r  records: 2")
	w.Flush()
	want := "pg: seeding …\npg: catalog: 4 / 4\npg: records: 1\npg: records: 2\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// TestProgressWriter: progress rewritten in place goes to a file or a
// buffer (a log, a pipe) as its last state on a line of its own.
func TestProgressWriter(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, out := range []io.Writer{f, &b} {
		w, done := progressWriter(out)
		for i := range 3 {
			fmt.Fprintf(w, "\r导入 %d/2 行", i)
		}
		fmt.Fprintln(w)
		fmt.Fprintf(w, "\r已检查 12 行")
		done()
	}
	got, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{string(got), b.String()} {
		if s != "导入 2/2 行\n已检查 12 行\n" {
			t.Errorf("got %q, want the last state on a line", s)
		}
	}
}
