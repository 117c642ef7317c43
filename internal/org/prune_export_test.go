package org

// SetPruneChunk has PruneSessions and PruneLoginFailures delete n rows a
// statement until the test ends.
func SetPruneChunk(t interface{ Cleanup(func()) }, n int) {
	old := pruneChunk
	pruneChunk = n
	t.Cleanup(func() { pruneChunk = old })
}
