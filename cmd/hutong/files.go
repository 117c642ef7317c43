package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// absPath returns the absolute form of path for messages, or path itself.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// openInput opens the input file path named by flag (as "-file") and
// explains in a sentence why it cannot, instead of passing on the
// operating system's "open X: no such file or directory".
func openInput(path, flag string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, inputError(path, flag, err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s is a folder, not a file (check %s)", absPath(path), flag)
	}
	return f, nil
}

func inputError(path, flag string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("file %s does not exist (check %s)", absPath(path), flag)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot read %s: permission denied", absPath(path))
	}
	return fmt.Errorf("cannot read %s: %v", absPath(path), osReason(err))
}

// osReason is the operating system's reason in err, without the operation
// and path that *fs.PathError adds ("bad file descriptor", not
// "read /dev/stdin: bad file descriptor").
func osReason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
