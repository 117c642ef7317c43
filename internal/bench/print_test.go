package bench

import (
	"strings"
	"testing"
)

// TestPrintResultNothingMeasured: a scenario whose requests all outlasted
// the measured time says so instead of printing 0 ms latencies.
func TestPrintResultNothingMeasured(t *testing.T) {
	var b strings.Builder
	printResult(&b, Result{Scenario: "catalog-search", Seconds: 5, Concurrency: 2}, 16)
	if got := b.String(); !strings.Contains(got, "no request began in the 5s measured") || strings.Contains(got, "0.00ms") {
		t.Errorf("got %q", got)
	}
	b.Reset()
	printResult(&b, Result{Scenario: "lookup", Seconds: 5, Concurrency: 16, Requests: 10, PerSecond: 2, P50ms: 1.5}, 16)
	if got := b.String(); strings.Contains(got, "no request") || !strings.Contains(got, "1.50ms") {
		t.Errorf("got %q", got)
	}
}
