package demo

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
)

// TestSocialOrganisations: the district's social organisations (社会组织登记信息)
// are a population of their own of a few hundred, with their own
// representatives and registration dates and names no two share. They
// were 20,000, organisation n a copy of company n: the same 法定代表人,
// registered (登记日期) on the company's founding (成立日期); of 400, 259
// names were different.
func TestSocialOrganisations(t *testing.T) {
	var orgs *records.Entry
	for _, e := range seededEntries() {
		if e.Name == "社会组织登记信息" {
			orgs = e
		}
	}
	if orgs == nil {
		t.Fatal("no 社会组织登记信息")
	}
	company := entryOf(t, "市场主体登记信息")
	ns := subjects(orgs, asOf)
	if len(ns) < 100 || len(ns) > 1000 {
		t.Errorf("%d social organisations, want a few hundred", len(ns))
	}
	sameRep, sameDay := 0, 0
	names := map[string]int{}
	for _, n := range ns {
		v := ValuesAsOf(orgs, EntityUSCC(orgs.Name, n), n, asOf)
		if m, ok := names[v["社会组织名称"]]; ok {
			t.Errorf("organisations %d and %d are both %s", m, n, v["社会组织名称"])
		}
		names[v["社会组织名称"]] = n
		c := ValuesAsOf(company, CompanyUSCC(n), n, asOf)
		if v["法定代表人（负责人）"] == "" || v["登记日期"] == "" || v["登记日期"] > day(asOf) {
			t.Errorf("organisation %d: 法定代表人（负责人） %q, 登记日期 %q", n, v["法定代表人（负责人）"], v["登记日期"])
		}
		if v["法定代表人（负责人）"] == c["法定代表人"] {
			sameRep++
		}
		if v["登记日期"] == c["成立日期"] {
			sameDay++
		}
	}
	if sameRep*10 > len(ns) || sameDay*10 > len(ns) {
		t.Errorf("of %d social organisations %d have the representative of the company of their number, %d its founding day",
			len(ns), sameRep, sameDay)
	}
}
