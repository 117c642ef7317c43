package sqldbtest

import (
	"runtime"
	"strings"
)

// AuditProbing reports whether a goroutine runs audit.CheckWritable, as
// the server's /readyz probe of the audit log does, read from the
// goroutines' stacks: a test that runs no other in parallel sees its own
// server's probe.
func AuditProbing() bool {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Contains(string(buf[:n]), "audit.CheckWritable(")
		}
		buf = make([]byte, 2*len(buf))
	}
}
