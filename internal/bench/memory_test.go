package bench_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/bench"
)

// TestMemoryLine: the peak memory is printed where it was read; where
// there is no /proc/self/status (macOS, Windows) it reads 0, which is
// said to be not measured rather than printed as a peak of 0 MiB.
func TestMemoryLine(t *testing.T) {
	if got := bench.MemoryLine(512.4, 100.6); !strings.HasPrefix(got, "  peak RSS 512 MiB, anonymous (heap, stacks) 101 MiB:") {
		t.Errorf("measured: %q", got)
	}
	if got := bench.MemoryLine(0, 0); !strings.Contains(got, "not measured") || strings.Contains(got, "0 MiB") {
		t.Errorf("not measured: %q", got)
	}
}
