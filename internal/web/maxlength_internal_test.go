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

// TestMaxlengthFromServerLimits: every maxlength of the templates is
// textmax of a limit the server checks (twice it, in UTF-16 units, so
// that a text of characters beyond the Basic Multilingual Plane the
// server takes is not cut at half), or, for a field the server takes only
// ASCII in, the literal limit exactMaxlength lists.
func TestMaxlengthFromServerLimits(t *testing.T) {
	files, err := filepath.Glob("templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v %v", files, err)
	}
	attr := regexp.MustCompile(`maxlength="(\{\{.*?\}\}|[^"]*)"`)
	fromTextmax := regexp.MustCompile(`^\{\{textmax (?:"([^"]+)"|\.QLimit)\}\}$`)
	nameAttr := regexp.MustCompile(` name="([^"]*)"`)
	seen := map[string]bool{}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, m := range attr.FindAllStringSubmatchIndex(s, -1) {
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
			value := s[m[2]:m[3]]
			if limit := fromTextmax.FindStringSubmatch(value); limit != nil {
				if _, ok := textLimits[limit[1]]; limit[1] != "" && !ok {
					t.Errorf("%s: textmax of %q, no limit of textLimits", field, limit[1])
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
