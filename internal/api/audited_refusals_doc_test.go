package api_test

import (
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
)

// TestAuditedRefusalsDocumented: docs/keys.md lists the administrative
// actions whose refusals (403) the API audits, exactly the actions of the
// routes carrying Route.Audit: it left out department.update, which PUT
// /api/v1/departments/{id} audits.
func TestAuditedRefusalsDocumented(t *testing.T) {
	a := &api.API{}
	a.Register(http.NewServeMux())
	var want []string
	for _, rt := range a.Routes() {
		if rt.Audit != nil && !slices.Contains(want, rt.Audit.Action) {
			want = append(want, rt.Audit.Action)
		}
	}
	if len(want) == 0 {
		t.Fatal("no route carries Audit")
	}
	doc, err := os.ReadFile("../../docs/keys.md")
	if err != nil {
		t.Fatal(err)
	}
	const lead = "An administrative action the API refuses its caller (403) is audited too"
	text := strings.Join(strings.Fields(string(doc)), " ")
	_, after, ok := strings.Cut(text, lead)
	if !ok {
		t.Fatalf("docs/keys.md lacks %q", lead)
	}
	_, list, _ := strings.Cut(after, "a `denied` row of the action (")
	list, _, ok = strings.Cut(list, ")")
	if !ok {
		t.Fatal("docs/keys.md: no list of the actions after " + lead)
	}
	var got []string
	for _, m := range regexp.MustCompile("`([a-z.]+)`").FindAllStringSubmatch(list, -1) {
		got = append(got, m[1])
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("docs/keys.md lists the audited refusals of %v, want the actions of the routes carrying Audit: %v", got, want)
	}
}
