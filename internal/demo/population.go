package demo

import (
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records"
)

// RecordResources returns the demo catalog's entries about persons and
// companies whose subject is identified by the citizen ID or the unified
// social credit code alone, in catalog order: the entries that records of
// PersonID and CompanyUSCC subjects fill completely (hutong bench loads
// them for its own departments).
func RecordResources() []catalog.Resource {
	var out []catalog.Resource
	for _, s := range demoCatalog {
		r := s.resource()
		var ids []string
		for _, it := range r.Items {
			if it.IdentifiesSubject {
				ids = append(ids, catalog.ItemKey(it.Name))
			}
		}
		if len(ids) == 1 && (r.SubjectKind == catalog.Person && ids[0] == "公民身份号码" ||
			r.SubjectKind == catalog.LegalEntity && ids[0] == "统一社会信用代码") {
			out = append(out, r)
		}
	}
	return out
}

// Values returns plausible, valid values of entry e's items for subject
// as of the end of the last month (ValuesAsOf of AsOf(time.Now())).
func Values(e *records.Entry, subject string, n int) map[string]string {
	return ValuesAsOf(e, subject, n, AsOf(time.Now()))
}

// ValuesAsOf returns plausible, valid values of entry e's items for
// subject (the identifying item holds subject itself) as of the day asOf:
// what happened happened by asOf, validities run from it. n varies the
// names, dates, amounts and addresses, as for the demo's subject n; the
// same arguments give the same values.
func ValuesAsOf(e *records.Entry, subject string, n int, asOf time.Time) map[string]string {
	vals := make(map[string]string, len(e.Items))
	ids := 0
	for _, it := range e.Items {
		if it.IdentifiesSubject {
			ids++
		}
	}
	sj := newSubj(e.Name, e.SubjectKind, subject, n, asOf)
	for _, it := range e.Items {
		if v, ok := value(it, &sj, ids == 1); ok && v != "" {
			vals[it.Name] = v
		}
	}
	return vals
}
