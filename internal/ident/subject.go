package ident

import "slices"

// SubjectForms are the canonical forms an identifier typed without its
// kind takes as the subject of each kind's records: a person's citizen ID
// (CitizenID) and a legal entity's code (LegalEntity in LegalEntityMode);
// empty where it is not valid as that kind. Fifteen digits may be both:
// an old citizen ID, stored upgraded to 18 digits, and a business
// registration number, stored as it is. Documents are the other forms of
// a person's subject in the records of entries keyed by another document:
// a passport's number, a travel permit's lifetime number (H12345678 for
// H1234567801), a permanent residence ID's, a 证件号码's, each once and
// none that is Person.
//
// records.ParseSubject reads a subject so for the records, the discrepancy
// filter and the audit log's subject filter; the audit log names the
// subject of a search of itself by Named.
type SubjectForms struct {
	Person, LegalEntity string
	Documents           []string
}

// documents are the validators of a person's documents other than the
// citizen ID, whose forms ParseSubject reads.
var documents = []func(string) (Result, error){Passport, HKMOPermit, TWPermit, PermanentResidence, Document}

// ParseSubject reads s, an identifier typed to find a subject of any
// kind, into the forms records store it in. Valid as neither a citizen ID
// nor a legal entity's code, it is taken as another document's number;
// one that has the shape of either code (CodeShaped) is no document's
// number (Passport and Document refuse it: it is mistyped). Valid as
// nothing, it returns the error of Validate, which names the kind s
// looks like (else the legal-entity one).
func ParseSubject(s string) (SubjectForms, error) {
	var f SubjectForms
	if r, err := CitizenID(s); err == nil {
		f.Person = r.Normalized
	}
	r, lerr := LegalEntity(s, LegalEntityMode(s))
	if lerr == nil {
		f.LegalEntity = r.Normalized
	}
	for _, v := range documents {
		if r, err := v(s); err == nil && r.Normalized != f.Person && !slices.Contains(f.Documents, r.Normalized) {
			f.Documents = append(f.Documents, r.Normalized)
		}
	}
	if f.Person != "" || f.LegalEntity != "" || len(f.Documents) > 0 {
		return f, nil
	}
	if _, err := Validate(s, Lenient); err != nil {
		return f, err
	}
	return f, lerr
}

// Named is the subject as an audit row names it: the legal-entity form,
// which is the identifier as given (trimmed, upper-cased), else the
// citizen ID as persons' records store it, else its first other
// document's form; "" for no forms.
func (f SubjectForms) Named() string {
	switch {
	case f.LegalEntity != "":
		return f.LegalEntity
	case f.Person != "" || len(f.Documents) == 0:
		return f.Person
	}
	return f.Documents[0]
}
