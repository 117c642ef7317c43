package web

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
)

// CountHashes counts the new passwords a reset hashes (hashNewPassword)
// until the test ends.
func CountHashes(t *testing.T) *atomic.Int64 {
	var n atomic.Int64
	hashNewPassword = func(ctx context.Context, pw string) (org.NewPassword, error) {
		n.Add(1)
		return org.HashNewPassword(ctx, pw)
	}
	t.Cleanup(func() { hashNewPassword = org.HashNewPassword })
	return &n
}

// OnEntryRead has f called by the edit form and the entry page between
// reading the entry and reading its tag (entryRead), until the test ends.
func OnEntryRead(t *testing.T, f func()) {
	entryRead = f
	t.Cleanup(func() { entryRead = nil })
}
