package api

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
)

// schemaType is the Go type a component schema describes: the type the
// handlers pass to JSON (an answer) or Decode (a request body). add names
// the fields its MarshalJSON writes beyond its struct's; drop the fields
// of the type the schema leaves out, for the answers that clear them.
type schemaType struct {
	typ       reflect.Type
	add, drop []string
}

// schemaTypes maps the component schemas to their Go types.
var schemaTypes = map[string]schemaType{
	"Problem":                     {typ: reflect.TypeFor[Problem]()},
	"Region":                      {typ: reflect.TypeFor[org.Region]()},
	"Department":                  {typ: reflect.TypeFor[org.Department]()},
	"DepartmentDisabling":         {typ: reflect.TypeFor[org.DepartmentDisabling]()},
	"DepartmentRequest":           {typ: reflect.TypeFor[departmentRequest]()},
	"DepartmentChange":            {typ: reflect.TypeFor[departmentPut]()},
	"User":                        {typ: reflect.TypeFor[org.User]()},
	"UserChange":                  {typ: reflect.TypeFor[org.UserChange]()},
	"UserRequest":                 {typ: reflect.TypeFor[userRequest]()},
	"PasswordChange":              {typ: reflect.TypeFor[changePasswordRequest]()},
	"Key":                         {typ: reflect.TypeFor[org.Key]()},
	"App":                         {typ: reflect.TypeFor[org.App]()},
	"AppRequest":                  {typ: reflect.TypeFor[appRequest]()},
	"CalendarDay":                 {typ: reflect.TypeFor[dayJSON]()},
	"AuditEntry":                  {typ: reflect.TypeFor[audit.Entry]()},
	"AuditActor":                  {typ: reflect.TypeFor[audit.Actor]()},
	"CatalogItem":                 {typ: reflect.TypeFor[catalog.Item]()},
	"CatalogResource":             {typ: reflect.TypeFor[catalog.Resource]()},
	"CatalogEntry":                {typ: reflect.TypeFor[catalog.Entry]()},
	"CatalogSummary":              {typ: reflect.TypeFor[catalog.Summary]()},
	"CatalogPage":                 {typ: reflect.TypeFor[uncountedPage]()},
	"CatalogHistoryStep":          {typ: reflect.TypeFor[catalog.Review]()},
	"CatalogVersion":              {typ: reflect.TypeFor[catalog.Version]()},
	"CatalogChanges":              {typ: reflect.TypeFor[catalog.Changes]()},
	"SourceRef":                   {typ: reflect.TypeFor[catalog.SourceRef]()},
	"SourceConflict":              {typ: reflect.TypeFor[catalog.Conflict]()},
	"CatalogOption":               {typ: reflect.TypeFor[catalog.Option]()},
	"SecurityLevel":               {typ: reflect.TypeFor[catalog.SecurityLevel]()},
	"CatalogRegistration":         {typ: reflect.TypeFor[catalog.Registration]()},
	"PublicCatalogEntry":          {typ: reflect.TypeFor[catalog.PublicEntry]()},
	"CatalogClassification":       {typ: reflect.TypeFor[catalog.Classification]()},
	"CatalogServiceItem":          {typ: reflect.TypeFor[catalog.ServiceItem]()},
	"CatalogFacetCount":           {typ: reflect.TypeFor[catalog.FacetCount]()},
	"CatalogDepartmentHints":      {typ: reflect.TypeFor[catalog.DepartmentHints]()},
	"CatalogRetireRequest":        {typ: reflect.TypeFor[catalog.RetireRequest]()},
	"CatalogRetireRequestSummary": {typ: reflect.TypeFor[catalog.RetireRequestSummary]()},
	"CatalogImportMapping":        {typ: reflect.TypeFor[catalogio.Mapping]()},
	"CatalogImportInlineMapping":  {typ: reflect.TypeFor[catalogio.Mapping]()},
	"CatalogImportField":          {typ: reflect.TypeFor[catalogio.Field]()},
	"CatalogImportRefusal":        {typ: reflect.TypeFor[importReport]()},
	"CatalogImportReport":         {typ: reflect.TypeFor[catalogio.Report]()},
	"CatalogTransfer":             {typ: reflect.TypeFor[catalog.Transfer]()},
	"CatalogTransferReport":       {typ: reflect.TypeFor[catalog.TransferResult]()},
	"RecordOp":                    {typ: reflect.TypeFor[records.WireOp]()},
	"LineError":                   {typ: reflect.TypeFor[records.LineError]()},
	"BatchResult":                 {typ: reflect.TypeFor[records.BatchResult]()},
	"BatchInfo":                   {typ: reflect.TypeFor[batchListing]()},
	"Record":                      {typ: reflect.TypeFor[records.Record]()},
	"DisputedItem":                {typ: reflect.TypeFor[records.DisputedItem]()},
	"RecordVersion":               {typ: reflect.TypeFor[records.Version]()},
	"DiscrepancyFeedback":         {typ: reflect.TypeFor[records.DiscrepancyFeedback]()},
	"Discrepancy":                 {typ: reflect.TypeFor[records.Discrepancy](), add: []string{"feedback_tag"}},
	"DiscrepancyWritten": {typ: reflect.TypeFor[records.Discrepancy](), add: []string{"feedback_tag"},
		drop: []string{"value_a", "value_b", "value_a_withheld", "value_b_withheld"}},
	"RecordQuality": {typ: reflect.TypeFor[records.Quality]()},
	"StaleEntry":    {typ: reflect.TypeFor[records.StaleEntry]()},
	"EntryRule":     {typ: reflect.TypeFor[records.EntryRule]()},
	"SweepResult":   {typ: reflect.TypeFor[records.SweepResult]()},
}

// builtSchemas are the component schemas of answers a handler builds as a
// map, with no Go type to compare: only TestOpenAPIResponseSchemas checks
// them, on the answers it gets.
var builtSchemas = map[string]string{
	"AppCreated":   "createApp: secretJSON of a map",
	"KeyIssued":    "rotateKey: secretJSON of a map",
	"LoginResult":  "login: a map",
	"Me":           "me: a map",
	"CalendarYear": "calendarYear: a map",
	"Deadline":     "deadline: a map",
	"AuditReport":  "verifyAudit: a map",
	"IdentResult":  "checkIdent: a map of ident.Result's fields",
}

// jsonFields are the names encoding/json writes and reads for the fields
// of struct type t: a field's json tag name or its name, the fields of an
// embedded struct without a name of its own in its place, "-" and
// unexported fields left out. A field of an outer struct hides one of the
// same name in an embedded one, as in encoding/json.
func jsonFields(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var names []string
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			for _, n := range jsonFields(ft) {
				if !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		names = slices.DeleteFunc(names, func(n string) bool { return n == name })
		names = append(names, name)
	}
	return names
}

// schemaProperties are the property names of schema s, with those of
// the component schemas its $ref or allOf refers to.
func schemaProperties(schemas, s map[string]any) []string {
	if ref, ok := s["$ref"].(string); ok {
		target, _ := schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
		return schemaProperties(schemas, target)
	}
	props, _ := s["properties"].(map[string]any)
	var names []string
	for p := range props {
		names = append(names, p)
	}
	allOf, _ := s["allOf"].([]any)
	for _, sub := range allOf {
		sub, _ := sub.(map[string]any)
		names = append(names, schemaProperties(schemas, sub)...)
	}
	return names
}

// compareFields reports, for what, the fields that props leaves out and
// the properties no field carries.
func compareFields(t *testing.T, what string, typ reflect.Type, fields, props []string) {
	t.Helper()
	sort.Strings(fields)
	for _, f := range fields {
		if !slices.Contains(props, f) {
			t.Errorf("%s does not list %s, a field of %v", what, f, typ)
		}
	}
	sort.Strings(props)
	for _, p := range props {
		if !slices.Contains(fields, p) {
			t.Errorf("%s lists %s, which %v has no field for", what, p, typ)
		}
	}
}

// requestTypes maps the operations with a JSON body to the Go type their
// handler decodes it into (Decode).
var requestTypes = map[string]reflect.Type{
	"POST /api/v1/auth/login":                                         reflect.TypeFor[loginRequest](),
	"POST /api/v1/me/password":                                        reflect.TypeFor[changePasswordRequest](),
	"POST /api/v1/regions":                                            reflect.TypeFor[org.Region](),
	"POST /api/v1/departments":                                        reflect.TypeFor[departmentRequest](),
	"PUT /api/v1/departments/{id}":                                    reflect.TypeFor[departmentPut](),
	"POST /api/v1/users":                                              reflect.TypeFor[userRequest](),
	"PATCH /api/v1/users/{id}":                                        reflect.TypeFor[org.UserChange](),
	"POST /api/v1/users/{id}/password":                                reflect.TypeFor[passwordRequest](),
	"POST /api/v1/apps":                                               reflect.TypeFor[appRequest](),
	"POST /api/v1/apps/{id}/rotate":                                   reflect.TypeFor[rotateRequest](),
	"POST /api/v1/catalog/entries":                                    reflect.TypeFor[entryCreate](),
	"PUT /api/v1/catalog/entries/{id}":                                reflect.TypeFor[entryPut](),
	"POST /api/v1/catalog/entries/{id}/reject":                        reflect.TypeFor[reasonRequest](),
	"POST /api/v1/catalog/entries/{id}/retire":                        reflect.TypeFor[reasonRequest](),
	"POST /api/v1/catalog/entries/{id}/retire/reject":                 reflect.TypeFor[reasonRequest](),
	"POST /api/v1/catalog/entries/{id}/conflicts/{conflict}/decision": reflect.TypeFor[decisionRequest](),
	"PUT /api/v1/catalog/security-levels/{level}":                     reflect.TypeFor[catalog.SecurityLevel](),
	"POST /api/v1/catalog/registration":                               reflect.TypeFor[catalog.Registration](),
	"POST /api/v1/catalog/import-mappings":                            reflect.TypeFor[catalogio.Mapping](),
	"POST /api/v1/catalog/transfers":                                  reflect.TypeFor[catalog.Transfer](),
	"POST /api/v1/records/entries/{id}/ops":                           reflect.TypeFor[records.WireOp](),
	"PUT /api/v1/records/entries/{id}/rule":                           reflect.TypeFor[ruleRequest](),
	"POST /api/v1/records/discrepancies/{id}/feedback":                reflect.TypeFor[feedbackRequest](),
	"POST /api/v1/records/discrepancies/{id}/resolve":                 reflect.TypeFor[resolveRequest](),
}

// TestOpenAPISchemasMatchTypes: every object schema of the document, and
// every JSON request body, names the JSON fields of the Go type the
// handlers encode or decode for it, both ways: a field the schema does
// not list (a closed schema then refuses what the server answers, or the
// server accepts what the document says is refused) and a property no
// field carries (the server never answers it, or refuses it
// unknown_field). An omitempty field counts, though the answers of
// TestOpenAPIResponseSchemas may never show it. Every object schema is
// mapped to a type (schemaTypes) or named as built as a map
// (builtSchemas), and every operation with a JSON body to the type it
// decodes (requestTypes), so that a new one cannot be left out.
func TestOpenAPISchemasMatchTypes(t *testing.T) {
	doc, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for name, s := range schemas {
		_, mapped := schemaTypes[name]
		_, built := builtSchemas[name]
		if typ, _ := s.(map[string]any)["type"].(string); typ == "object" && !mapped && !built {
			t.Errorf("schema %s has no Go type in schemaTypes, nor a place in builtSchemas", name)
		}
		if mapped && built {
			t.Errorf("schema %s is both in schemaTypes and builtSchemas", name)
		}
	}
	for name := range builtSchemas {
		if schemas[name] == nil {
			t.Errorf("builtSchemas names %s, which is no schema", name)
		}
	}
	for name, st := range schemaTypes {
		schema, _ := schemas[name].(map[string]any)
		if schema == nil {
			t.Errorf("schemaTypes names %s, which is no schema", name)
			continue
		}
		fields := slices.DeleteFunc(append(jsonFields(st.typ), st.add...), func(f string) bool { return slices.Contains(st.drop, f) })
		compareFields(t, "schema "+name, st.typ, fields, schemaProperties(schemas, schema))
	}
	bodies := map[string]bool{}
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			body, _ := op.(map[string]any)["requestBody"].(map[string]any)
			content, _ := body["content"].(map[string]any)
			media, _ := content["application/json"].(map[string]any)
			if media == nil {
				continue
			}
			key := strings.ToUpper(method) + " " + path
			bodies[key] = true
			typ, ok := requestTypes[key]
			if !ok {
				t.Errorf("%s takes a JSON body, but requestTypes gives no Go type for it", key)
				continue
			}
			schema, _ := media["schema"].(map[string]any)
			compareFields(t, key+"'s body", typ, jsonFields(typ), schemaProperties(schemas, schema))
		}
	}
	for key := range requestTypes {
		if !bodies[key] {
			t.Errorf("requestTypes names %s, which takes no JSON body in the document", key)
		}
	}
}
