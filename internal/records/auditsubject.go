package records

// AuditSubjectForms are the forms the subject s, typed to filter the audit
// log (audit.Filter's SubjectForms: the API's subject_id, the console's
// and audit list's subject), is stored in: ParseSubject's person and
// legal-entity forms and its other documents' (a passport's e12345678 as
// E12345678, a permit's H1234567801 as H12345678), so that
// 11010519491231002x, the old 15-digit 110105491231002 and the full-width
// １１０１…２Ｘ find the rows of 11010519491231002X. None when s is empty or
// no identifier; the filter then matches it as typed.
func AuditSubjectForms(s string) []string {
	if s == "" {
		return nil
	}
	forms, err := ParseSubject(s)
	if err != nil {
		return nil
	}
	out := []string{forms.Person, forms.LegalEntity}
	for _, d := range forms.Documents {
		if d != forms.LegalEntity {
			out = append(out, d)
		}
	}
	return out
}
