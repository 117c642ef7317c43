package api

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

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

// KeySweepMargin is keySweepMargin.
const KeySweepMargin = keySweepMargin

// SweepDue is sweepDue: whether a sweep of expired keys is due at now,
// claiming it.
func (a *API) SweepDue(now time.Time) bool { return a.sweepDue(now) }

// DeleteExpiredKeys is the sweep's deletion (deleteExpiredKeys).
func (a *API) DeleteExpiredKeys(ctx context.Context, now time.Time) error {
	return a.deleteExpiredKeys(ctx, now)
}

// OnEntryRead has f called by a GET of an entry between reading the entry
// and reading its tag (entryRead), until the test ends.
func OnEntryRead(t *testing.T, f func()) {
	entryRead = f
	t.Cleanup(func() { entryRead = nil })
}
