package main

import (
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progressWriter returns where to write progress rewritten in place (each
// update beginning with "\r") to w, and a function to call at the end: w
// itself on a terminal (or a command's output to one); elsewhere (a log
// file, a pipe, a service's journal) a lineWriter, so that the updates
// become a line every progressEvery instead of one endless line.
func progressWriter(w io.Writer) (io.Writer, func()) {
	to := w
	if o, ok := w.(*output); ok {
		to = o.w
	}
	if f, ok := to.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return w, func() {}
		}
	}
	lw := newLineWriter(w, "")
	return lw, lw.Flush
}

// lineWriter prefixes each line written through it, for output that
// interleaves with another's. A progress line rewritten in place (each
// update begins with "\r") is shown at most every progressEvery, and
// whole at the end.
type lineWriter struct {
	mu     sync.Mutex
	out    io.Writer
	prefix string
	line   []byte    // the line being written
	shown  time.Time // when a progress update was last shown
}

const progressEvery = 10 * time.Second

func newLineWriter(out io.Writer, prefix string) *lineWriter {
	return &lineWriter{out: out, prefix: prefix, shown: time.Now()}
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range p {
		switch c {
		case '\n':
			if err := w.emit(); err != nil {
				return 0, err
			}
		case '\r':
			if len(w.line) > 0 && time.Since(w.shown) >= progressEvery {
				w.shown = time.Now()
				if err := w.emit(); err != nil {
					return 0, err
				}
			}
			w.line = w.line[:0]
		default:
			w.line = append(w.line, c)
		}
	}
	return len(p), nil
}

// Flush writes what is left of the last line.
func (w *lineWriter) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.line) > 0 {
		w.emit()
	}
}

func (w *lineWriter) emit() error {
	_, err := w.out.Write([]byte(w.prefix + strings.TrimLeft(string(w.line), " ") + "\n"))
	w.line = w.line[:0]
	return err
}
