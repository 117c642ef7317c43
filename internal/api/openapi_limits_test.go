package api_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// docSchema is the schema at path in the document: keys of objects, and
// "name=in" for the parameter of an operation's parameters named name
// (path and query parameters alike); nil where there is none.
func docSchema(doc map[string]any, path ...string) map[string]any {
	var v any = doc
	for _, k := range path {
		m, _ := v.(map[string]any)
		if name, ok := strings.CutSuffix(k, "=param"); ok {
			params, _ := m["parameters"].([]any)
			v = nil
			for _, p := range params {
				if pm, _ := p.(map[string]any); pm["name"] == name {
					v = pm
				}
			}
			continue
		}
		v = m[k]
	}
	m, _ := v.(map[string]any)
	return m
}

// TestOpenAPIDeclaresLimits: each length limit the server enforces on a
// request's text is the maxLength of its schema, and of the schemas of
// the answers that show the text as stored (Department, User, App, Me's
// app, EntryRule, CatalogResource, CatalogSummary, PublicCatalogEntry,
// SecurityLevel, whose name and description are held to an entry's name
// and free texts', the reasons of a rejection or retirement request,
// DiscrepancyFeedback), taken from the constant the server checks, so
// that the two cannot drift; and the range of /calendar/deadline's days
// is its minimum and maximum, checked against the server's answers at
// and beyond each bound (on both engines). Every limit counts characters
// (runes), as maxLength counts code points; a username's are ASCII.
func TestOpenAPIDeclaresLimits(t *testing.T) {
	doc := openAPIDoc(t)
	schemas := []string{"components", "schemas"}
	body := func(method, path, prop string) []string {
		return []string{"paths", path, method, "requestBody", "content", "application/json", "schema", "properties", prop}
	}
	for _, tt := range []struct {
		path []string
		want int
	}{
		{append(schemas, "RecordOp", "properties", "key"), records.MaxKey},
		{append(schemas, "AppRequest", "properties", "name"), org.MaxAppName},
		{append(schemas, "AppRequest", "properties", "description"), org.MaxDescription},
		{append(schemas, "UserRequest", "properties", "display_name"), org.MaxDisplayName},
		{append(schemas, "UserChange", "properties", "display_name"), org.MaxDisplayName},
		{append(schemas, "DepartmentRequest", "properties", "name"), org.MaxDeptName},
		{append(schemas, "DepartmentRequest", "properties", "short_name"), org.MaxShortName},
		{append(schemas, "DepartmentChange", "properties", "name"), org.MaxDeptName},
		{append(schemas, "DepartmentChange", "properties", "short_name"), org.MaxShortName},
		{append(schemas, "Region", "properties", "name"), org.MaxRegionName},
		{append(schemas, "Department", "properties", "name"), org.MaxDeptName},
		{append(schemas, "Department", "properties", "short_name"), org.MaxShortName},
		{append(schemas, "User", "properties", "username"), org.MaxUsername},
		{append(schemas, "User", "properties", "display_name"), org.MaxDisplayName},
		{append(schemas, "App", "properties", "name"), org.MaxAppName},
		{append(schemas, "App", "properties", "description"), org.MaxDescription},
		{append(schemas, "Me", "properties", "app", "properties", "name"), org.MaxAppName},
		{append(schemas, "EntryRule", "properties", "note"), records.MaxNote},
		{append(schemas, "EntryRule", "properties", "timeliness"), catalog.MaxText},
		{append(schemas, "CatalogEntry", "properties", "name"), catalog.MaxName},
		{append(schemas, "CatalogEntry", "properties", "abstract"), catalog.MaxText},
		{append(schemas, "CatalogEntry", "properties", "share_conditions"), catalog.MaxText},
		{append(schemas, "CatalogEntry", "properties", "legal_basis"), catalog.MaxText},
		{append(schemas, "CatalogEntry", "properties", "share_scope"), catalog.MaxText},
		{append(schemas, "CatalogEntry", "properties", "open_conditions"), catalog.MaxText},
		{append(schemas, "CatalogEntry", "properties", "timeliness"), catalog.MaxText},
		{append(schemas, "CatalogEntry", "properties", "domain_other"), catalog.MaxOther},
		{append(schemas, "CatalogEntry", "properties", "update_frequency_other"), catalog.MaxOther},
		{append(schemas, "CatalogResource", "properties", "name"), catalog.MaxName},
		{append(schemas, "CatalogResource", "properties", "abstract"), catalog.MaxText},
		{append(schemas, "CatalogResource", "properties", "share_conditions"), catalog.MaxText},
		{append(schemas, "CatalogResource", "properties", "legal_basis"), catalog.MaxText},
		{append(schemas, "CatalogResource", "properties", "share_scope"), catalog.MaxText},
		{append(schemas, "CatalogResource", "properties", "open_conditions"), catalog.MaxText},
		{append(schemas, "CatalogResource", "properties", "timeliness"), catalog.MaxText},
		{append(schemas, "CatalogResource", "properties", "domain_other"), catalog.MaxOther},
		{append(schemas, "CatalogResource", "properties", "update_frequency_other"), catalog.MaxOther},
		{append(schemas, "CatalogSummary", "properties", "name"), catalog.MaxName},
		{append(schemas, "CatalogSummary", "properties", "abstract"), catalog.MaxText},
		{append(schemas, "PublicCatalogEntry", "properties", "name"), catalog.MaxName},
		{append(schemas, "PublicCatalogEntry", "properties", "abstract"), catalog.MaxText},
		{append(schemas, "PublicCatalogEntry", "properties", "provider"), org.MaxDeptName},
		{append(schemas, "PublicCatalogEntry", "properties", "open_conditions"), catalog.MaxText},
		{append(schemas, "PublicCatalogEntry", "properties", "items", "items", "properties", "name"), catalog.MaxItemName},
		{append(schemas, "PublicCatalogEntry", "properties", "items", "items", "properties", "description"), catalog.MaxText},
		{append(schemas, "SecurityLevel", "properties", "name"), catalog.MaxName},
		{append(schemas, "SecurityLevel", "properties", "description"), catalog.MaxText},
		{append(schemas, "CatalogEntry", "properties", "reject_reason"), catalog.MaxReasonChars},
		{append(schemas, "CatalogVersion", "properties", "reject_reason"), catalog.MaxReasonChars},
		{append(schemas, "CatalogRetireRequest", "properties", "reason"), catalog.MaxReasonChars},
		{append(schemas, "CatalogRetireRequest", "properties", "reject_reason"), catalog.MaxReasonChars},
		{append(schemas, "CatalogRetireRequestSummary", "properties", "name"), catalog.MaxName},
		{append(schemas, "CatalogRetireRequestSummary", "properties", "reason"), catalog.MaxReasonChars},
		{append(schemas, "DiscrepancyFeedback", "properties", "feedback"), records.MaxNote},
		{append(schemas, "CatalogItem", "properties", "description"), catalog.MaxText},
		{append(schemas, "CatalogItem", "properties", "name"), catalog.MaxItemName},
		{append(schemas, "CatalogClassification", "properties", "category_name"), catalog.MaxClassName},
		{append(schemas, "CatalogClassification", "properties", "subcategory_name"), catalog.MaxClassName},
		{append(schemas, "CatalogClassification", "properties", "detail_name"), catalog.MaxClassName},
		{append(schemas, "CatalogServiceItem", "properties", "name"), catalog.MaxServiceName},
		{append(schemas, "CatalogServiceItem", "properties", "code"), catalog.MaxServiceCode},
		{append(schemas, "CatalogResource", "properties", "related_codes", "items"), catalog.MaxRelatedCode},
		{append(schemas, "CatalogEntry", "properties", "related_codes", "items"), catalog.MaxRelatedCode},
		{body("post", "/api/v1/records/discrepancies/{id}/feedback", "feedback"), records.MaxNote},
		{body("post", "/api/v1/records/discrepancies/{id}/resolve", "note"), records.MaxNote},
		{body("put", "/api/v1/records/entries/{id}/rule", "note"), records.MaxNote},
		{body("post", "/api/v1/catalog/entries/{id}/retire", "reason"), catalog.MaxReasonChars},
		{body("post", "/api/v1/catalog/entries/{id}/reject", "reason"), catalog.MaxReasonChars},
		{body("post", "/api/v1/catalog/entries/{id}/retire/reject", "reason"), catalog.MaxReasonChars},
		{[]string{"paths", "/api/v1/catalog/entries", "get", "q=param", "schema"}, catalog.MaxQueryChars},
		{[]string{"paths", "/api/v1/public/catalog", "get", "q=param", "schema"}, catalog.MaxQueryChars},
		{[]string{"paths", "/api/v1/catalog/retire-requests", "get", "q=param", "schema"}, catalog.MaxQueryChars},
		{[]string{"paths", "/api/v1/catalog/export", "get", "q=param", "schema"}, catalog.MaxQueryChars},
		{[]string{"paths", "/api/v1/departments", "get", "q=param", "schema"}, org.MaxSearch},
		{[]string{"paths", "/api/v1/users", "get", "q=param", "schema"}, org.MaxSearch},
		{[]string{"paths", "/api/v1/apps", "get", "q=param", "schema"}, org.MaxSearch},
	} {
		s := docSchema(doc, tt.path...)
		if got, _ := s["maxLength"].(float64); got != float64(tt.want) {
			t.Errorf("%s: maxLength %v, want %d, the limit enforced", strings.Join(tt.path, " "), s["maxLength"], tt.want)
		}
	}
	for _, schema := range []string{"CatalogResource", "CatalogEntry"} {
		for prop, want := range map[string]int{"items": catalog.MaxItems, "service_items": catalog.MaxServiceItems,
			"related_codes": catalog.MaxRelatedCodes} {
			if got, _ := docSchema(doc, "components", "schemas", schema, "properties", prop)["maxItems"].(float64); got != float64(want) {
				t.Errorf("%s.%s: maxItems %v, want %d, the limit enforced", schema, prop, got, want)
			}
		}
	}
	// The limits of 2026-12-06 bind no entry stored before them, which
	// answers show as stored: the descriptions shared with the answers say
	// a value may exceed them.
	for _, p := range [][2]string{{"CatalogClassification", "category_name"}, {"CatalogClassification", "subcategory_name"},
		{"CatalogClassification", "detail_name"}, {"CatalogServiceItem", "name"}, {"CatalogServiceItem", "code"},
		{"CatalogResource", "service_items"}, {"CatalogResource", "related_codes"}, {"CatalogEntry", "service_items"},
		{"CatalogEntry", "related_codes"}, {"PublicCatalogEntry", "service_items"}} {
		desc, _ := docSchema(doc, "components", "schemas", p[0], "properties", p[1])["description"].(string)
		if !strings.Contains(desc, "stored before 2026-12-06") {
			t.Errorf("%s.%s: the description does not say an entry stored before 2026-12-06 may exceed the limit: %q", p[0], p[1], desc)
		}
	}
	if got, _ := docSchema(doc, "components", "schemas", "User", "properties", "username")["minLength"].(float64); got != org.MinUsername {
		t.Errorf("User.username: minLength %v, want %d, the limit enforced", got, org.MinUsername)
	}
	days := docSchema(doc, "paths", "/api/v1/calendar/deadline", "get", "days=param")
	lo, okLo := docSchema(days, "schema")["minimum"].(float64)
	hi, okHi := docSchema(days, "schema")["maximum"].(float64)
	if desc, _ := days["description"].(string); !okLo || !okHi || !strings.Contains(desc, "invalid_days") {
		t.Fatalf("GET /api/v1/calendar/deadline: days declares no range or does not describe invalid_days: %v", days)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, tt := range []struct {
			days int
			ok   bool
		}{{int(lo), true}, {int(hi), true}, {int(lo) - 1, false}, {int(hi) + 1, false}} {
			r := f.do(t, "GET", "/api/v1/calendar/deadline?from=2026-03-02&days="+strconv.Itoa(tt.days), f.readKey, "")
			if ok := r.status == 200; ok != tt.ok || !ok && (r.status != 400 || r.body["code"] != "invalid_days") {
				t.Errorf("days=%d: %d %v, want 200 inside the documented range %v to %v, 400 invalid_days outside", tt.days, r.status, r.body, lo, hi)
			}
		}
	})
}

// TestOpenAPINamesCountedAsStored: the length of a catalog entry's name
// and of an item's is counted in the name as stored, its white space
// collapsed and in NFC (catalog's normalize), and the two descriptions say
// so, with the character NFC lengthens, as the q parameter's says of
// NFKC: a client checking maxLength on the name as it sends it would
// otherwise refuse a name the server takes, or send one it refuses.
func TestOpenAPINamesCountedAsStored(t *testing.T) {
	doc := openAPIDoc(t)
	for _, schema := range []string{"CatalogEntry", "CatalogItem"} {
		desc, _ := docSchema(doc, "components", "schemas", schema, "properties", "name")["description"].(string)
		for _, want := range []string{"as stored", "run of white space made one space", "NFC", "U+0F43"} {
			if !strings.Contains(desc, want) {
				t.Errorf("%s.name's description does not say %q: %q", schema, want, desc)
			}
		}
	}
}
