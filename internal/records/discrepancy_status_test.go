package records_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
)

func TestDiscrepancyStatusFilter(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"open", "open", true},
		{"awaiting_correction", "awaiting_correction", true},
		{"resolved", "resolved", true},
		{"all", "", true},
		{"", "", false},
		{"Open", "", false},
		{" open", "", false},
		{"closed", "", false},
		{"awaiting", "", false},
		{"待处理", "", false},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := records.DiscrepancyStatusFilter(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("DiscrepancyStatusFilter(%q) = (%q, %v), want (%q, %v)", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
