package catalogio

import (
	"maps"
	"slices"
	"testing"
)

// TestFormerHeadersNotSynonyms: a field's former headers (formerHeaders)
// are matched as its synonyms too, folded, so synonyms does not repeat
// them; and a former header written with other spaces or brackets is
// still suggested its field, as a synonym.
func TestFormerHeadersNotSynonyms(t *testing.T) {
	for _, key := range slices.Sorted(maps.Keys(formerHeaders)) {
		if _, ok := synonyms[key]; !ok {
			t.Errorf("former headers of %s, a field without synonyms", key)
		}
		for _, h := range formerHeaders[key] {
			if slices.ContainsFunc(synonyms[key], func(s string) bool { return fold(s) == fold(h) }) {
				t.Errorf("synonyms of %s repeat its former header %s", key, h)
			}
		}
	}
	for h, want := range map[string]string{"提供 部门": "provider", "资源分类[类]": "class", "数据 主体": "subject_kind", "关联事项：": "service_items"} {
		if got := Suggest([]string{h}, false)[h]; got != want {
			t.Errorf("Suggest(%q) = %q, want %q", h, got, want)
		}
	}
	if got := Suggest([]string{"是否 主体标识"}, true)["是否 主体标识"]; got != "item.identifies_subject" {
		t.Errorf("Suggest(是否 主体标识) on an items sheet = %q, want item.identifies_subject", got)
	}
}
