//go:build unix

package main

import "os"

// devNull says whether f is the null device: the same file, by device and
// inode, as /dev/null.
func devNull(f *os.File) bool {
	st, err := f.Stat()
	if err != nil {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err == nil && os.SameFile(st, null)
}
