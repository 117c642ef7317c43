package catalog

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
)

// FieldChange is one changed metadata field between two versions, with the
// old and new values in their JSON form.
type FieldChange struct {
	Field string          `json:"field"`
	Label string          `json:"label"`
	Old   json.RawMessage `json:"old"`
	New   json.RawMessage `json:"new"`
}

// ItemChange is one data item added, removed or changed between two
// versions. Items are matched by name; Attributes lists what changed
// (type, length, identifies_subject, description).
type ItemChange struct {
	Name       string   `json:"name"`
	Change     string   `json:"change"` // added, removed, changed
	Attributes []string `json:"attributes,omitempty"`
	Old        *Item    `json:"old,omitempty"`
	New        *Item    `json:"new,omitempty"`
}

// Changes is what Diff finds.
type Changes struct {
	Fields []FieldChange `json:"fields"`
	Items  []ItemChange  `json:"items"`
}

// Empty reports whether nothing changed.
func (c Changes) Empty() bool { return len(c.Fields) == 0 && len(c.Items) == 0 }

// fieldLabels names the fields of Resource in Chinese, for Diff.
var fieldLabels = map[string]string{
	"name": "数据资源名称", "abstract": "摘要", "classification": "资源分类", "format": "信息资源格式",
	"share_type": "共享类型", "share_conditions": "共享条件", "legal_basis": "不予共享依据", "share_methods": "共享方式",
	"share_scope": "共享范围", "open_attribute": "开放属性", "open_conditions": "开放条件", "update_frequency": "更新周期",
	"update_frequency_other": "具体更新周期", "timeliness": "时效要求", "security_level": "安全级别",
	"network_zone": "网络环境", "domain": "所属领域", "domain_other": "领域名称", "subject_kind": "主体类型",
	"service_items": "关联政务服务事项", "related_codes": "关联资源代码",
}

// itemsOrder is the field of Changes that tells the data items kept from
// one version to the next changed places.
const itemsOrder = "items_order"

// Diff compares two versions of an entry's metadata: the fields that
// changed (in a fixed order) and, item by item, the data items added,
// removed or changed. Items kept that changed places are the field
// items_order (信息项顺序), its values the item names of each version in
// order; an item added or removed moves no other.
func Diff(a, b Resource) Changes {
	ma, mb := fieldsOf(a), fieldsOf(b)
	names := make([]string, 0, len(fieldLabels))
	for f := range fieldLabels {
		names = append(names, f)
	}
	sort.Strings(names)
	c := Changes{Fields: []FieldChange{}, Items: []ItemChange{}}
	for _, f := range names {
		if !bytes.Equal(ma[f], mb[f]) {
			c.Fields = append(c.Fields, FieldChange{Field: f, Label: fieldLabels[f], Old: orNull(ma[f]), New: orNull(mb[f])})
		}
	}
	if reordered(a.Items, b.Items) {
		c.Fields = append(c.Fields, FieldChange{Field: itemsOrder, Label: "信息项顺序", Old: itemNames(a.Items), New: itemNames(b.Items)})
		sort.SliceStable(c.Fields, func(i, j int) bool { return c.Fields[i].Field < c.Fields[j].Field })
	}
	c.Items = diffItems(a.Items, b.Items)
	return c
}

func fieldsOf(r Resource) map[string]json.RawMessage {
	for i := range r.Items {
		r.Items[i].Source = nil
	}
	b, _ := json.Marshal(r) // Resource holds only plain values
	var m map[string]json.RawMessage
	json.Unmarshal(b, &m)
	return m
}

func orNull(m json.RawMessage) json.RawMessage {
	if m == nil {
		return json.RawMessage("null")
	}
	return m
}

func diffItems(a, b []Item) []ItemChange {
	old := map[string]Item{}
	for _, it := range a {
		old[it.Name] = it
	}
	out := []ItemChange{}
	seen := map[string]bool{}
	for _, nb := range b {
		seen[nb.Name] = true
		oa, ok := old[nb.Name]
		if !ok {
			out = append(out, ItemChange{Name: nb.Name, Change: "added", New: &nb})
			continue
		}
		if attrs := itemAttrs(oa, nb); len(attrs) > 0 {
			out = append(out, ItemChange{Name: nb.Name, Change: "changed", Attributes: attrs, Old: &oa, New: &nb})
		}
	}
	for _, oa := range a {
		if !seen[oa.Name] {
			out = append(out, ItemChange{Name: oa.Name, Change: "removed", Old: &oa})
		}
	}
	return out
}

// reordered reports whether the items of a also in b, matched by name,
// are in another order in b.
func reordered(a, b []Item) bool {
	return !slices.Equal(keptNames(a, b), keptNames(b, a))
}

// keptNames is the names of the items of a also in b, in a's order.
func keptNames(a, b []Item) []string {
	in := map[string]bool{}
	for _, it := range b {
		in[it.Name] = true
	}
	var out []string
	for _, it := range a {
		if in[it.Name] {
			out = append(out, it.Name)
		}
	}
	return out
}

// itemNames is the JSON array of the names of items, in order.
func itemNames(items []Item) json.RawMessage {
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.Name
	}
	b, _ := json.Marshal(names) // strings always marshal
	return b
}

func itemAttrs(a, b Item) []string {
	var attrs []string
	if a.Type != b.Type {
		attrs = append(attrs, "type")
	}
	if a.Length != b.Length {
		attrs = append(attrs, "length")
	}
	if a.IdentifiesSubject != b.IdentifiesSubject {
		attrs = append(attrs, "identifies_subject")
	}
	if a.Description != b.Description {
		attrs = append(attrs, "description")
	}
	return attrs
}
