package demo

import (
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
)

// seededEntries returns the demo catalog's person and legal-entity entries
// as SeedRecords fills them.
func seededEntries() []*records.Entry {
	var out []*records.Entry
	for _, s := range demoCatalog {
		r := s.resource()
		if r.SubjectKind != person && r.SubjectKind != entity {
			continue
		}
		e := &records.Entry{Name: r.Name, SubjectKind: string(r.SubjectKind), Class: string(r.Classification.Class),
			CategoryCode: r.Classification.CategoryCode}
		for _, it := range r.Items {
			e.Items = append(e.Items, records.Item{Name: it.Name, Type: string(it.Type), Length: it.Length, IdentifiesSubject: it.IdentifiesSubject})
		}
		out = append(out, e)
	}
	return out
}

// TestSamples: the entries that take a share of the subjects draw it
// independently, so that every person entry of some size holds both sexes
// (the 17th digit of the citizen ID, the last of n), every company entry
// several company forms (n mod 4), no entry's sample is another's or part
// of it, and the late pushes are spread over the entries rather than all
// of an entry's or none. The samples were every 20th subject from the
// entry's position: entries 20 apart took the same subjects, 30 of 36
// person entries one sex only (all drivers women), 机动车驾驶证信息 was
// part of 残疾人康复服务信息, and the late pushes (n mod 20 = 3) were
// all of two entries' and none of 45.
func TestSamples(t *testing.T) {
	type sample struct {
		e    *records.Entry
		subj []int
	}
	var samples []sample
	entries := seededEntries()
	withLate := 0
	for _, e := range entries {
		subj := subjects(e, asOf)
		lateOps := 0
		for _, n := range subj {
			if late(e.Name, n) {
				lateOps++
			}
		}
		if len(subj) >= 100 && (lateOps == 0 || lateOps == len(subj)) {
			t.Errorf("%s: %d of %d operations late, want a few", e.Name, lateOps, len(subj))
		}
		if lateOps > 0 {
			withLate++
		}
		if baseEntry(e) || wholeRegisters[e.Name] || tradeLicences[e.Name] != nil || len(subj) < 100 {
			continue
		}
		samples = append(samples, sample{e, subj})
		kinds := map[int]int{}
		for _, n := range subj {
			if e.SubjectKind == records.Person {
				kinds[int(PersonID(n)[16]-'0')%2]++
			} else {
				kinds[n%len(bizSuffix)]++
			}
		}
		if e.SubjectKind == records.Person && len(kinds) < 2 {
			t.Errorf("%s: %d persons of one sex only", e.Name, len(subj))
		}
		if e.SubjectKind == records.LegalEntity && len(kinds) < len(bizSuffix) {
			t.Errorf("%s: %d companies of %d forms only", e.Name, len(subj), len(kinds))
		}
	}
	if withLate < len(entries)*3/4 {
		t.Errorf("late pushes in %d of %d entries, want most", withLate, len(entries))
	}
	if len(samples) < 20 {
		t.Fatalf("%d sampled entries, want the demo's", len(samples))
	}
	for i, a := range samples {
		for _, b := range samples[i+1:] {
			if a.e.SubjectKind != b.e.SubjectKind {
				continue
			}
			common := 0
			for _, n := range a.subj {
				if _, ok := slices.BinarySearch(b.subj, n); ok {
					common++
				}
			}
			if common == len(a.subj) || common == len(b.subj) {
				t.Errorf("%s (%d) and %s (%d) share %d subjects: one sample holds the other", a.e.Name, len(a.subj), b.e.Name, len(b.subj), common)
			}
		}
	}
}
