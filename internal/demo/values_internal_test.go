package demo

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/records"
)

// entryOf returns the demo catalog entry named name as records sees it.
func entryOf(t *testing.T, name string) *records.Entry {
	t.Helper()
	for _, s := range demoCatalog {
		if s.name != name {
			continue
		}
		r := s.resource()
		e := &records.Entry{Name: r.Name, SubjectKind: string(r.SubjectKind)}
		for _, it := range r.Items {
			e.Items = append(e.Items, records.Item{Name: it.Name, Type: string(it.Type), Length: it.Length, IdentifiesSubject: it.IdentifiesSubject})
		}
		return e
	}
	t.Fatalf("no demo entry %s", name)
	return nil
}

// TestBirthCertificateValues: the birth certificates (出生医学证明信息,
// catalog entry 23 of the demo) hold plausible values: the newborn's own
// citizen ID, a certificate number of the form's letter and nine digits,
// the sex and birth time of that ID, a mother and a father with valid IDs
// of their sex born a generation before, a hospital of the district; and
// only for persons born since the certificate exists. They held
// "新生儿性别":"新生", "母亲公民身份号码":"NH00000002" for both parents,
// "签发机构":"签发机构3" and no certificate number.
func TestBirthCertificateValues(t *testing.T) {
	e := entryOf(t, "出生医学证明信息")
	number := regexp.MustCompile(`^[A-Z]44\d{7}$`)
	checked := 0
	for n := 0; n < DemoPersons; n += 97 {
		if !bornSince(e, n) {
			if y := birthDate(PersonID(n)).Year(); y >= birthCertificatesSince {
				t.Fatalf("person %d born in %d left out", n, y)
			}
			continue
		}
		checked++
		id := PersonID(n)
		v := Values(e, id, n)
		for _, it := range e.Items {
			if v[it.Name] == "" {
				t.Errorf("person %d: %s empty", n, it.Name)
			}
			if strings.Contains(v[it.Name], it.Name) {
				t.Errorf("person %d: %s = %q, a placeholder", n, it.Name, v[it.Name])
			}
		}
		if v["新生儿公民身份号码"] != id {
			t.Errorf("person %d: 新生儿公民身份号码 %q, want the subject %s", n, v["新生儿公民身份号码"], id)
		}
		if !number.MatchString(v["出生医学证明编号"]) {
			t.Errorf("person %d: 出生医学证明编号 %q", n, v["出生医学证明编号"])
		}
		if sex := map[bool]string{true: "男", false: "女"}[(id[16]-'0')%2 == 1]; v["新生儿性别"] != sex {
			t.Errorf("person %d (%s): 新生儿性别 %q, want %s", n, id, v["新生儿性别"], sex)
		}
		born, err := time.Parse(time.RFC3339, v["出生时间"])
		if err != nil || born.Format("20060102") != id[6:14] {
			t.Errorf("person %d (%s): 出生时间 %q, %v", n, id, v["出生时间"], err)
		}
		for item, female := range map[string]bool{"母亲公民身份号码": true, "父亲公民身份号码": false} {
			p := v[item]
			if _, err := ident.Validate(p, ident.Strict); err != nil {
				t.Errorf("person %d: %s %q: %v", n, item, p, err)
				continue
			}
			if (p[16]-'0')%2 == 0 != female {
				t.Errorf("person %d: %s %q of the wrong sex", n, item, p)
			}
			if age := born.Year() - birthDate(p).Year(); age < 18 || age > 45 {
				t.Errorf("person %d: %s %q is %d at the birth", n, item, p, age)
			}
		}
		if v["母亲公民身份号码"] == v["父亲公民身份号码"] {
			t.Errorf("person %d: the same ID for both parents", n)
		}
		if h := v["签发机构"]; !strings.HasSuffix(h, "医院") && !strings.HasSuffix(h, "保健院") {
			t.Errorf("person %d: 签发机构 %q", n, h)
		}
		if v["出生地点"] != "广东省佛山市南海区" {
			t.Errorf("person %d: 出生地点 %q", n, v["出生地点"])
		}
	}
	if checked < 100 {
		t.Errorf("checked %d persons born since %d, want at least 100", checked, birthCertificatesSince)
	}
}
