package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

func TestQueryUnknownFilter(t *testing.T) {
	filters := []struct {
		param, vocabulary string
		set               func(q *catalog.Query, v string)
	}{
		{"domain", "domain", func(q *catalog.Query, v string) { q.Domain = v }},
		{"share_type", "share_type", func(q *catalog.Query, v string) { q.ShareType = catalog.ShareType(v) }},
		{"share_method", "share_methods", func(q *catalog.Query, v string) { q.ShareMethod = catalog.ShareMethod(v) }},
		{"update_frequency", "update_frequency", func(q *catalog.Query, v string) { q.UpdateFrequency = catalog.Frequency(v) }},
		{"open_attribute", "open_attribute", func(q *catalog.Query, v string) { q.OpenAttribute = catalog.OpenAttribute(v) }},
		{"subject_kind", "subject_kind", func(q *catalog.Query, v string) { q.SubjectKind = catalog.SubjectKind(v) }},
	}
	if param, value, bad := (catalog.Query{Text: "人口"}).UnknownFilter(); bad {
		t.Errorf("no filter: got %s=%q unknown, want none", param, value)
	}
	for _, f := range filters {
		t.Run(f.param, func(t *testing.T) {
			options := catalog.Vocabulary(f.vocabulary)
			if len(options) == 0 {
				t.Fatalf("vocabulary %s is empty", f.vocabulary)
			}
			for _, o := range options {
				var q catalog.Query
				f.set(&q, o.Code)
				if param, value, bad := q.UnknownFilter(); bad {
					t.Errorf("%s=%s: got %s=%q unknown, want known", f.param, o.Code, param, value)
				}
			}
			for _, v := range []string{"nonexistent", options[0].Label, " " + options[0].Code} {
				var q catalog.Query
				f.set(&q, v)
				param, value, bad := q.UnknownFilter()
				if !bad || param != f.param || value != v {
					t.Errorf("%s=%q: got (%q, %q, %v), want (%q, %q, true)", f.param, v, param, value, bad, f.param, v)
				}
			}
		})
	}
	t.Run("first in order", func(t *testing.T) {
		q := catalog.Query{Domain: "x", SubjectKind: "y"}
		if param, value, _ := q.UnknownFilter(); param != "domain" || value != "x" {
			t.Errorf("got %s=%q, want domain=\"x\" (the first coded filter)", param, value)
		}
	})
}
