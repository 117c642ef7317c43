package records_test

import (
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
)

// TestDiscrepancyReadsNameOtherSubjects: a list of discrepancies shows
// both sources' values, which for an item such as 配偶公民身份号码 are
// other persons' IDs, but its audit row was filed under the discrepancy's
// subject alone: a spouse searching the log for their ID did not find the
// read. The row now names them as its other subjects, each once, not the
// subject itself nor a value withheld from the reader, nor any for an item
// that names no one.
func TestDiscrepancyReadsNameOtherSubjects(t *testing.T) {
	subject, spouseA, spouseB := recordstest.CitizenID(1), recordstest.CitizenID(2), recordstest.CitizenID(3)
	by := audit.Actor{Kind: "user", ID: "u1"}
	ds := []records.Discrepancy{
		{ID: 1, SubjectID: subject, ItemA: "配偶公民身份号码", ItemB: "配偶公民身份号码", ValueA: spouseA, ValueB: spouseB},
		{ID: 2, SubjectID: subject, ItemA: "配偶公民身份号码", ItemB: "配偶公民身份号码", ValueA: spouseA, ValueB: subject},
		{ID: 3, SubjectID: subject, ItemA: "配偶公民身份号码", ItemB: "配偶公民身份号码", ValueA: spouseA, ValueBWithheld: true},
		{ID: 4, SubjectID: subject, ItemA: "姓名", ItemB: "姓名", ValueA: spouseA, ValueB: "张三"},
	}
	evs := records.DiscrepancyReads(by, ds, "核查")
	want := [][]string{{spouseA, spouseB}, {spouseA}, {spouseA}, nil}
	for i, ev := range evs {
		if ev.SubjectID != subject || !slices.Equal(ev.Subjects, want[i]) {
			t.Errorf("discrepancy %d: subject %s, others %v; want %s, %v", ds[i].ID, ev.SubjectID, ev.Subjects, subject, want[i])
		}
	}
	ds[2].ValueAWithheld, ds[2].ValueA = true, ""
	if evs := records.DiscrepancyReads(by, ds[2:3], "核查"); len(evs[0].Subjects) != 0 {
		t.Errorf("both values withheld: others %v, want none", evs[0].Subjects)
	}
}
