// Package testlog captures what code under test writes from several
// goroutines (a server's log, a command's output), for tests that check
// the lines written.
package testlog

import (
	"bytes"
	"log/slog"
	"sync"
)

// Buffer is a destination that the goroutines under test share with the
// test reading it: its writes and reads are serialised.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what was logged so far.
func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Logger returns a text logger writing into l.
func (l *Buffer) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, nil))
}
