package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
)

// exactMaxlength are the fields of the templates whose maxlength is the
// server's limit itself, a literal, by template and field name: fields
// the server takes only ASCII in (full-width forms, read as ASCII, are
// one UTF-16 unit too), where the browser counts what the server counts.
var exactMaxlength = map[string]int{
	// audit.ParseAnchor: a sequence number, ':' and 64 hex digits.
	"audit.html anchor":        100,
	"audit.html from":          100,
	"audit_verify.html anchor": 100,
	"audit_verify.html from":   100,
	// catalog's digits2, digits3 and detailCode: digits.
	"catalog_form.html category_code":    2,
	"catalog_form.html subcategory_code": 3,
	"catalog_form.html detail_code":      4,
	// org's validUsername: a-z, 0-9, . _ -.
	"user_new.html username": org.MaxUsername,
	// A department's unified social credit code (ident.LegalEntity):
	// digits and capital letters.
	"department_form.html uscc": 18,
	"department_edit.html uscc": 18,
}

// nameLimits are the limits of the name fields by template and field
// name, the limit the handler checks each with: a name of textLimits
// that is not the field's (org.MaxShortName on a department's name)
// passes the check that it is one of textLimits.
var nameLimits = map[string]string{
	"apps.html name":                    "org.MaxAppName",
	"catalog_form.html name":            "catalog.MaxName",
	"catalog_mapping.html name":         "catalogio.MaxMappingName",
	"catalog_security_levels.html name": "catalog.MaxName",
	"department_form.html name":         "org.MaxDeptName",
	"department_form.html short_name":   "org.MaxShortName",
	"department_edit.html name":         "org.MaxDeptName",
	"department_edit.html short_name":   "org.MaxShortName",
	"user.html display_name":            "org.MaxDisplayName",
	"user_new.html display_name":        "org.MaxDisplayName",
}

// maxlengthAttr finds a maxlength attribute however HTML lets it be
// written: in any case, its value in double quotes, single quotes or
// none; maxlengthValue is its value.
var maxlengthAttr = regexp.MustCompile(`(?i)\bmaxlength\s*=\s*(?:"(\{\{.*?\}\}|[^"]*)"|'([^']*)'|([^\s>]+))`)

func maxlengthValue(s string, m []int) string {
	for g := 1; g < len(m)/2; g++ {
		if m[2*g] >= 0 {
			return s[m[2*g]:m[2*g+1]]
		}
	}
	return ""
}

// TestMaxlengthAttr: maxlengthAttr finds the attribute in each spelling
// a browser honours.
func TestMaxlengthAttr(t *testing.T) {
	for _, tag := range []string{
		`<input name="x" maxlength="100">`,
		`<input name="x" maxlength='100'>`,
		`<input name="x" maxlength=100>`,
		`<input name="x" MAXLENGTH="100">`,
		`<input name="x" MaxLength = "100" required>`,
	} {
		m := maxlengthAttr.FindStringSubmatchIndex(tag)
		if m == nil || maxlengthValue(tag, m) != "100" {
			t.Errorf("%s: maxlength not found as 100 (%v)", tag, m)
		}
	}
	tag := `<input name="x" maxlength="{{textmax "org.MaxDeptName"}}">`
	if m := maxlengthAttr.FindStringSubmatchIndex(tag); m == nil || maxlengthValue(tag, m) != `{{textmax "org.MaxDeptName"}}` {
		t.Errorf("%s: textmax not found (%v)", tag, m)
	}
}

// TestMaxlengthFromServerLimits: every maxlength of the templates is
// textmax of a limit the server checks (twice it, in UTF-16 units, so
// that a text of characters beyond the Basic Multilingual Plane the
// server takes is not cut at half), or, for a field the server takes only
// ASCII in, the literal limit exactMaxlength lists; a name field's is
// the limit nameLimits lists.
func TestMaxlengthFromServerLimits(t *testing.T) {
	files, err := filepath.Glob("templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v %v", files, err)
	}
	fromTextmax := regexp.MustCompile(`^\{\{textmax (?:"([^"]+)"|\.QLimit)\}\}$`)
	nameAttr := regexp.MustCompile(` name="([^"]*)"`)
	seen := map[string]bool{}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, m := range maxlengthAttr.FindAllStringSubmatchIndex(s, -1) {
			start, end := strings.LastIndex(s[:m[0]], "<"), strings.Index(s[m[1]:], ">")
			var name []string
			if start >= 0 && end >= 0 {
				name = nameAttr.FindStringSubmatch(s[start : m[1]+end])
			}
			if name == nil {
				t.Errorf("%s: a maxlength outside a named field at %d", file, m[0])
				continue
			}
			field := filepath.Base(file) + " " + name[1]
			value := maxlengthValue(s, m)
			if limit := fromTextmax.FindStringSubmatch(value); limit != nil {
				if _, ok := textLimits[limit[1]]; limit[1] != "" && !ok {
					t.Errorf("%s: textmax of %q, no limit of textLimits", field, limit[1])
				}
				if want, ok := nameLimits[field]; ok {
					if limit[1] != want {
						t.Errorf("%s: textmax of %q, want %q (nameLimits)", field, limit[1], want)
					}
					seen[field] = true
				}
				continue
			}
			want, exact := exactMaxlength[field]
			switch n, err := strconv.Atoi(value); {
			case !exact:
				t.Errorf("%s: maxlength=%q: a field of free text takes textmax of the server's limit (textLimits); one the server takes only ASCII in is listed in exactMaxlength", field, value)
			case err != nil || n != want:
				t.Errorf("%s: maxlength=%q, want %d (exactMaxlength)", field, value, want)
			default:
				seen[field] = true
			}
		}
	}
	for field := range exactMaxlength {
		if !seen[field] {
			t.Errorf("exactMaxlength lists %s, which no template has", field)
		}
	}
	for field := range nameLimits {
		if !seen[field] {
			t.Errorf("nameLimits lists %s, which no template has with textmax", field)
		}
	}
}

// TestTextMax: textmax is twice the limit it names, and refuses a name
// of no limit, so that a template naming one fails to render.
func TestTextMax(t *testing.T) {
	if n, err := textMax("org.MaxDeptName"); n != 2*org.MaxDeptName || err != nil {
		t.Errorf("textmax org.MaxDeptName = %d, %v; want %d", n, err, 2*org.MaxDeptName)
	}
	if _, err := textMax("org.MaxNothing"); err == nil {
		t.Error("textmax org.MaxNothing: no error")
	}
}
