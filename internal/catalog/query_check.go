package catalog

// UnknownFilter names the first coded filter of q whose value its
// vocabulary (Vocabulary) does not hold, by the query parameter that sets
// it (domain, share_type, share_method, update_frequency, open_attribute,
// subject_kind, in that order) and the value; ok is false when each coded
// filter is unset or known. Search finds nothing for such a value, so the
// API and the console refuse it instead, each in its own words.
func (q Query) UnknownFilter() (param, value string, ok bool) {
	for _, f := range []struct{ param, vocabulary, value string }{
		{"domain", "domain", q.Domain},
		{"share_type", "share_type", string(q.ShareType)},
		{"share_method", "share_methods", string(q.ShareMethod)},
		{"update_frequency", "update_frequency", string(q.UpdateFrequency)},
		{"open_attribute", "open_attribute", string(q.OpenAttribute)},
		{"subject_kind", "subject_kind", string(q.SubjectKind)},
	} {
		if f.value != "" && !vocabularies[f.vocabulary].has(f.value) {
			return f.param, f.value, true
		}
	}
	return "", "", false
}
