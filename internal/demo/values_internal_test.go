package demo

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/records"
)

// asOf is the day the tests' values are as of, for which their shares
// were measured.
var asOf = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)

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
		if !hasRecord(e, n, asOf) {
			if id := PersonID(n); birthDate(id).Year() >= birthCertificatesSince && id[:6] == "440605" {
				t.Fatalf("person %d (%s) born in the district left out", n, id)
			}
			continue
		}
		checked++
		id := PersonID(n)
		v := ValuesAsOf(e, id, n, asOf)
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

// sample returns every 97th subject of entry e that has a record there,
// with its identifier.
func sample(e *records.Entry) (ns []int, ids []string) {
	size := DemoPersons
	if e.SubjectKind == records.LegalEntity {
		size = DemoCompanies
	}
	for n := 0; n < size; n += 97 {
		if !hasRecord(e, n, asOf) {
			continue
		}
		ns = append(ns, n)
		switch e.SubjectKind {
		case records.Person:
			ids = append(ids, PersonID(n))
		case records.LegalEntity:
			ids = append(ids, EntityUSCC(e.Name, n))
		default:
			ids = append(ids, "")
		}
	}
	return ns, ids
}

// TestValuesPlausible: no value of any demo entry is a placeholder such
// as 民族1 or 登记类型14 (an item's name and a number, as the generator's
// catch-all made them) or NH00000003; every value has its item's type and
// length; a person's dates are after the birth; every item has values and
// every entry subjects. No date of what has happened (a registration, an
// issue, a removal, the start of a period: a value's first date, time or
// month) is after asOf; only the end of a validity (有效期, 截止日期,
// 下次检验日期) or of a period (…至 2027-01-01) may be. Removals from the
// 经营异常名录 were drawn up to two years after listings up to asOf
// (listed 2025-12-28, removed 2027-01-16), and community corrections of
// minors started up to 17½ for persons born up to 2009, in 2027.
func TestValuesPlausible(t *testing.T) {
	placeholder := regexp.MustCompile(`^NH\d{8}$`)
	month := regexp.MustCompile(`^20\d\d-(0[1-9]|1[0-2])$`)
	firstDate := regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
	validity := func(name string) bool {
		return strings.Contains(name, "有效期") && !strings.Contains(name, "起始") || strings.Contains(name, "截止") || strings.HasPrefix(name, "下次")
	}
	for _, s := range demoCatalog {
		e := entryOf(t, s.name)
		ns, ids := sample(e)
		if len(ns) < 5 {
			t.Errorf("%s: %d subjects of %d sampled have records", e.Name, len(ns), DemoPersons/97)
		}
		filled := map[string]int{}
		for i, n := range ns {
			v := ValuesAsOf(e, ids[i], n, asOf)
			for _, it := range e.Items {
				x, ok := v[it.Name]
				if !ok {
					continue
				}
				filled[it.Name]++
				name := regexp.QuoteMeta(it.Name)
				if regexp.MustCompile(`^`+name+`\d+$`).MatchString(x) || placeholder.MatchString(x) || strings.Contains(x, it.Name) {
					t.Errorf("%s subject %d: %s = %q, a placeholder", e.Name, n, it.Name, x)
				}
				if it.Length > 0 && utf8.RuneCountInString(x) > it.Length && it.Type == "C" {
					t.Errorf("%s subject %d: %s = %q longer than %d", e.Name, n, it.Name, x, it.Length)
				}
				switch it.Type {
				case "D":
					d, err := time.Parse("2006-01-02", x)
					if err != nil {
						t.Errorf("%s subject %d: %s = %q: %v", e.Name, n, it.Name, x, err)
					} else if e.SubjectKind == records.Person && it.Name != "出生日期" && !d.After(birthDate(ids[i])) {
						t.Errorf("%s subject %d (%s): %s = %s, not after the birth", e.Name, n, ids[i], it.Name, x)
					}
				case "T":
					if _, err := time.Parse(time.RFC3339, x); err != nil {
						t.Errorf("%s subject %d: %s = %q: %v", e.Name, n, it.Name, x, err)
					}
				case "I":
					if _, err := strconv.Atoi(x); err != nil {
						t.Errorf("%s subject %d: %s = %q: %v", e.Name, n, it.Name, x, err)
					}
				case "N", "Y", "B":
					if f, err := strconv.ParseFloat(x, 64); err != nil || f < 0 {
						t.Errorf("%s subject %d: %s = %q, not an amount: %v", e.Name, n, it.Name, x, err)
					}
				}
				if strings.HasSuffix(it.Name, "月份") || it.Name == "所属期" {
					if !month.MatchString(x) {
						t.Errorf("%s subject %d: %s = %q, not a month", e.Name, n, it.Name, x)
					} else if x > asOf.Format("2006-01") {
						t.Errorf("%s subject %d: %s = %s, after %s", e.Name, n, it.Name, x, day(asOf))
					}
				}
				if validity(it.Name) {
					continue
				}
				if at, err := time.Parse(time.RFC3339, x); err == nil && !at.Before(asOf.AddDate(0, 0, 1)) {
					t.Errorf("%s subject %d: %s = %s, after %s", e.Name, n, it.Name, x, day(asOf))
				} else if d := firstDate.FindString(x); d != "" && d > day(asOf) {
					t.Errorf("%s subject %d: %s = %s, after %s", e.Name, n, it.Name, x, day(asOf))
				}
			}
		}
		for _, it := range e.Items {
			if filled[it.Name] == 0 && (!it.IdentifiesSubject || e.SubjectKind == records.Person || e.SubjectKind == records.LegalEntity) {
				t.Errorf("%s: %s never has a value", e.Name, it.Name)
			}
		}
	}
}

// TestHouseholdValues: the household registrations (户籍人口基本信息)
// hold real ethnic groups (mostly 汉族), GB/T 4658 education levels, GB/T
// 2261.2 marital statuses (未婚 below the legal age of marriage), a
// relation to the head of the household that fits sex, age and marital
// status, the person's own name as head exactly when 户主, and mostly no
// former name; they held 民族1, 文化程度1, 婚姻状况1, 与户主关系1, 曾用名1.
func TestHouseholdValues(t *testing.T) {
	e := entryOf(t, "户籍人口基本信息")
	ethnic := map[string]bool{"汉族": true}
	for _, m := range minorities {
		ethnic[m] = true
	}
	if len(ethnic) != 56 {
		t.Fatalf("%d ethnic groups, want 56", len(ethnic))
	}
	levels := map[string]bool{}
	for _, l := range education {
		levels[l] = true
	}
	ns, ids := sample(e)
	han, former := 0, 0
	statuses := map[string]int{}
	for i, n := range ns {
		id := ids[i]
		v := ValuesAsOf(e, id, n, asOf)
		male := (id[16]-'0')%2 == 1
		if v["性别"] != map[bool]string{true: "男", false: "女"}[male] {
			t.Errorf("%s: 性别 %q", id, v["性别"])
		}
		if !ethnic[v["民族"]] {
			t.Errorf("%s: 民族 %q", id, v["民族"])
		}
		if v["民族"] == "汉族" {
			han++
		}
		if !levels[v["文化程度"]] {
			t.Errorf("%s: 文化程度 %q", id, v["文化程度"])
		}
		st := v["婚姻状况"]
		statuses[st]++
		age := asOf.Year() - birthDate(id).Year()
		legal := map[bool]int{true: 22, false: 20}[male]
		switch {
		case st != "未婚" && st != "已婚" && st != "离婚" && st != "丧偶":
			t.Errorf("%s: 婚姻状况 %q", id, st)
		case st != "未婚" && age < legal:
			t.Errorf("%s: %s at %d", id, st, age)
		}
		rel := v["与户主关系"]
		switch rel {
		case "户主", "配偶", "子", "女", "孙子", "孙女", "父亲", "母亲", "儿媳", "女婿":
		default:
			t.Errorf("%s: 与户主关系 %q", id, rel)
		}
		if (rel == "子" || rel == "孙子" || rel == "父亲" || rel == "女婿") != male && rel != "户主" && rel != "配偶" {
			t.Errorf("%s (male %v): 与户主关系 %q", id, male, rel)
		}
		if (rel == "配偶" || rel == "儿媳" || rel == "女婿") && st != "已婚" {
			t.Errorf("%s: 与户主关系 %q but %s", id, rel, st)
		}
		if (rel == "户主") != (v["户主姓名"] == v["姓名"]) {
			t.Errorf("%s: 与户主关系 %q, 户主姓名 %q, 姓名 %q", id, rel, v["户主姓名"], v["姓名"])
		}
		if f := v["曾用名"]; f != "" {
			former++
			if f == v["姓名"] {
				t.Errorf("%s: 曾用名 is the name %q", id, f)
			}
		}
	}
	if han < len(ns)*85/100 || han == len(ns) {
		t.Errorf("%d of %d persons 汉族, want most but not all", han, len(ns))
	}
	if former == 0 || former > len(ns)/10 {
		t.Errorf("%d of %d persons with a former name, want a few", former, len(ns))
	}
	if len(statuses) != 4 {
		t.Errorf("marital statuses %v, want all four", statuses)
	}
}

// TestMarriageValues: a marriage registration (婚姻登记信息) names the
// subject and a spouse of the other sex with a valid citizen ID and a
// different name, both of the legal age on the day; the kind of
// registration fits the household registration's marital status; only
// persons who married have one, made since 1 October 2003, when the
// district's civil affairs bureau (登记机关) became the registrar of
// marriages (婚姻登记条例); a marriage before is the bureau's only
// through a divorce or a certificate reissued since. The bureau registers
// where either party's household registration is (婚姻登记条例 of 2003,
// art. 4, 10 and 17: a reissue also where the marriage was registered),
// since 1 June 2021 a marriage or divorce where either lives with a
// residence permit (Guangdong's 跨省通办 pilot), since 10 May 2025 any
// (全国通办): married persons without a registration married elsewhere.
// Both parties had the same name, no IDs and 登记类型14; marriages from
// 1972 were the bureau's; 594 of 2,323 registrations were of couples both
// registered elsewhere, 353 of them before June 2021.
func TestMarriageValues(t *testing.T) {
	e := entryOf(t, "婚姻登记信息")
	household := entryOf(t, "户籍人口基本信息")
	bureauMay, registered := bureauMay(t)
	number := regexp.MustCompile(`^(J|L|BJ)440605-(\d{4})-\d{6}$`)
	ns, ids := sample(e)
	kinds := map[string]int{}
	husbandOlder := 0.0 // years, summed
	elsewhere := 0      // registrations of couples both registered elsewhere
	for i, n := range ns {
		id := ids[i]
		v := ValuesAsOf(e, id, n, asOf)
		status := ValuesAsOf(household, id, n, asOf)["婚姻状况"]
		if status == "未婚" {
			t.Errorf("%s: unmarried with a marriage registration", id)
		}
		male, female := v["男方公民身份号码"], v["女方公民身份号码"]
		if male != id && female != id {
			t.Errorf("%s: parties %s and %s", id, male, female)
		}
		for _, p := range []string{male, female} {
			if _, err := ident.Validate(p, ident.Strict); err != nil {
				t.Errorf("%s: party %q: %v", id, p, err)
			}
		}
		if (male[16]-'0')%2 != 1 || (female[16]-'0')%2 != 0 {
			t.Errorf("%s: 男方 %s, 女方 %s of the wrong sex", id, male, female)
		}
		if v["男方姓名"] == v["女方姓名"] || v["男方姓名"] == "" || v["女方姓名"] == "" {
			t.Errorf("%s: names %q and %q", id, v["男方姓名"], v["女方姓名"])
		}
		if own := map[bool]string{true: v["男方姓名"], false: v["女方姓名"]}[male == id]; own != personName(n) {
			t.Errorf("%s: the subject's name %q, want %q", id, own, personName(n))
		}
		day, err := time.Parse("2006-01-02", v["登记日期"])
		if err != nil || day.After(asOf) {
			t.Fatalf("%s: 登记日期 %q %v", id, v["登记日期"], err)
		}
		if day.Before(bureauRegisters) || v["登记机关"] != "佛山市南海区民政局" {
			t.Errorf("%s: registered on %s by %s", id, v["登记日期"], v["登记机关"])
		}
		spouse := female
		if female == id {
			spouse = male
		}
		if !bureauMay(n, spouse, v["登记类型"], day) {
			t.Errorf("%s: %s of %s and %s on %s, neither registered nor living in the district", id, v["登记类型"], male, female, v["登记日期"])
		}
		if !registered(n, day) && spouse[:6] != "440605" {
			elsewhere++
		}
		if birthDate(male).AddDate(22, 0, 0).After(day) || birthDate(female).AddDate(20, 0, 0).After(day) {
			t.Errorf("%s: %s and %s registered on %s", id, male, female, v["登记日期"])
		}
		// The husband is born up to five years before the wife or two
		// after (and half a year either way), or later when the subject
		// is near the legal age of marriage.
		older := birthDate(female).Sub(birthDate(male)).Hours() / 24 / 365.25
		if older > 5.5 || older < -2.5 {
			t.Errorf("%s: the husband %s is %.1f years older than the wife %s", id, male, older, female)
		}
		husbandOlder += older
		kind := v["登记类型"]
		kinds[kind]++
		if (kind == "离婚登记") != (status == "离婚") || kind != "离婚登记" && kind != "结婚登记" && kind != "补领结婚证" {
			t.Errorf("%s: 登记类型 %q, 婚姻状况 %q", id, kind, status)
		}
		if m := number.FindStringSubmatch(v["结婚证字号"]); m == nil || m[2] != v["登记日期"][:4] {
			t.Errorf("%s: 结婚证字号 %q, 登记日期 %s", id, v["结婚证字号"], v["登记日期"])
		}
	}
	if len(kinds) != 3 {
		t.Errorf("registrations %v, want all three kinds", kinds)
	}
	if avg := husbandOlder / float64(len(ns)); avg < 1 || avg > 2.5 {
		t.Errorf("husbands %.1f years older than their wives on average, want about 1.5", avg)
	}
	before := 0 // persons married before the bureau registered marriages, without a registration
	away := 0   // persons registered elsewhere, without a registration
	for n := 0; n < DemoPersons; n += 97 {
		id := PersonID(n)
		married := ValuesAsOf(household, id, n, asOf)["婚姻状况"] != "未婚"
		s := newSubj(e.Name, e.SubjectKind, id, n, asOf)
		switch old := married && s.registered().Before(bureauRegisters); {
		case old && hasRecord(e, n, asOf):
			t.Errorf("person %d registered on %s, before the bureau registered marriages", n, day(s.registered()))
		case old:
			before++
		case married && s.movedOut() && s.marriageDate().After(s.moveDate()):
			// registered where the household registration moved to
		case married && !hasRecord(e, n, asOf) && !bureauMay(n, s.spouseID(), s.marriageRegistration(), s.registered()):
			away++
		case married && !hasRecord(e, n, asOf):
			t.Errorf("person %d married without a registration", n)
		}
	}
	// Those born by the late 1970s married before (at 23 to 25 on
	// average): less than half of the persons.
	if sampled := (DemoPersons + 96) / 97; before == 0 || before > sampled/2 {
		t.Errorf("%d of %d persons married before %s without a registration, %d with one", before, sampled, day(bureauRegisters), len(ns))
	}
	// A quarter of the registrations before were of couples both
	// registered elsewhere, who can be the bureau's since June 2021.
	if away == 0 || elsewhere == 0 || elsewhere > len(ns)/5 {
		t.Errorf("%d of %d registrations of couples both registered elsewhere; %d persons registered elsewhere without one",
			elsewhere, len(ns), away)
	}
	t.Logf("%d of %d registrations of couples both registered elsewhere; %d persons registered elsewhere without one",
		elsewhere, len(ns), away)
}

// TestMarriageDates: every year has about as many marriages (the day of
// the marriage registration of each married person, the bureau's or
// another registry's), at the ages of first marriage of their time: about
// 23 for women and 25 for men until the 2000s, 27 to 28 and 29 around
// 2020; the bureau registers about as many marriages a day since 10 May
// 2025, when any registry may register any couple, as in 2024 (a little
// more: some couples who married in 2024 divorced since, and their
// registration is the divorce). The marriage dates were drawn between the
// legal age and asOf, so that the young who were married had married
// lately: 4,577 marriages from 10 May to 31 December 2025, 1,600 a year
// before 2020, at 24.8 on average in 2025, and in the 1990s at 28.4
// (women) and 30.0 (men); the bureau's 2,053 marriage registrations of
// 2024 became 3,835 from 10 May 2025.
func TestMarriageDates(t *testing.T) {
	e := entryOf(t, "婚姻登记信息")
	perYear := map[int]int{}
	var sum, count [2][2]float64 // [woman, man][1990s, since 2018]: ages at marriage
	var in2024, since int        // the bureau's marriage registrations in 2024, since 10 May 2025
	for n := range DemoPersons {
		id := PersonID(n)
		s := newSubj(e.Name, e.SubjectKind, id, n, asOf)
		if s.maritalStatus() == "未婚" {
			continue
		}
		d := s.marriageDate()
		perYear[d.Year()]++
		sex := map[bool]int{false: 0, true: 1}[s.male]
		switch y := d.Year(); {
		case y >= 1990 && y < 2000:
			sum[sex][0] += d.Sub(s.birth).Hours() / 24 / 365.25
			count[sex][0]++
		case y >= 2018:
			sum[sex][1] += d.Sub(s.birth).Hours() / 24 / 365.25
			count[sex][1]++
		}
		if !hasRecord(e, n, asOf) {
			continue
		}
		if v := ValuesAsOf(e, id, n, asOf); v["登记类型"] == "结婚登记" {
			switch on := v["登记日期"]; {
			case on >= "2025-05-10":
				since++
			case on >= "2024-01-01" && on < "2025-01-01":
				in2024++
			}
		}
	}
	mean := 0
	for y := 2004; y <= 2025; y++ {
		mean += perYear[y]
	}
	mean /= 22
	for y := 2004; y <= 2025; y++ {
		if perYear[y] < mean*3/4 || perYear[y] > mean*5/4 {
			t.Errorf("%d marriages in %d, %d a year on average since 2004", perYear[y], y, mean)
		}
	}
	if perDay, before := float64(since)/236, float64(in2024)/366; perDay > before*1.35 {
		t.Errorf("the bureau registered %d marriages from 10 May 2025 (%.1f a day), %d in 2024 (%.1f a day)", since, perDay, in2024, before)
	}
	for sex, want := range [2][2][2]float64{{{22, 25}, {26, 29}}, {{24, 27}, {28, 31}}} {
		for i, period := range []string{"the 1990s", "since 2018"} {
			if avg := sum[sex][i] / count[sex][i]; avg < want[i][0] || avg > want[i][1] {
				t.Errorf("%s married at %.1f on average in %s, want %v to %v", []string{"women", "men"}[sex], avg, period, want[i][0], want[i][1])
			}
		}
	}
	t.Logf("%d marriages a year since 2004 (%d in 2025); ages at marriage in the 1990s %.1f (women), %.1f (men), since 2018 %.1f, %.1f; "+
		"the bureau's marriage registrations %d in 2024, %d since 10 May 2025", mean, perYear[2025],
		sum[0][0]/count[0][0], sum[1][0]/count[1][0], sum[0][1]/count[0][1], sum[1][1]/count[1][1], in2024, since)
}

// bureauMay returns whether the district's civil affairs bureau may make
// a marriage registration of kind on day d of person n and the spouse
// with citizen ID spouse, read from the records of the household
// register, the moves, the deaths and the residence permits: where either
// party's household registration is (for the spouse a 440605 citizen ID,
// for person n the household register, since the move in and before the
// death or the move out: registered says it), a reissue also where the
// marriage was registered, since 1 June 2021 a marriage or divorce also
// where either holds a residence permit issued before, since 10 May 2025
// any.
func bureauMay(t *testing.T) (may func(n int, spouse, kind string, d time.Time) bool, registered func(n int, d time.Time) bool) {
	household, transfer := entryOf(t, "户籍人口基本信息"), entryOf(t, "户口迁移登记信息")
	cert, permit := entryOf(t, "死亡医学证明信息"), entryOf(t, "居住证信息")
	onOrAfter := func(d time.Time, on string) bool { return day(d) >= on }
	registered = func(n int, d time.Time) bool {
		id := PersonID(n)
		if !hasRecord(household, n, asOf) {
			return false
		}
		if hasRecord(cert, n, asOf) && onOrAfter(d, ValuesAsOf(cert, id, n, asOf)["死亡日期"]) {
			return false
		}
		if !hasRecord(transfer, n, asOf) {
			return true
		}
		switch mv := ValuesAsOf(transfer, id, n, asOf); mv["迁移类型"] {
		case "迁入":
			return onOrAfter(d, mv["办理日期"])
		case "迁出":
			return !onOrAfter(d, mv["办理日期"])
		}
		return true
	}
	may = func(n int, spouse, kind string, d time.Time) bool {
		switch {
		case d.Before(bureauRegisters):
			return false
		case !d.Before(time.Date(2025, 5, 10, 0, 0, 0, 0, time.UTC)), spouse[:6] == "440605", registered(n, d):
			return true
		case kind == "补领结婚证":
			s := newSubj("婚姻登记信息", records.Person, PersonID(n), n, asOf)
			return may(n, spouse, "结婚登记", s.marriageDate())
		}
		if !hasRecord(permit, n, asOf) || d.Before(time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)) {
			return false
		}
		issued := ValuesAsOf(permit, PersonID(n), n, asOf)["居住证编号"][6:10] // the year of the first permit
		return issued <= strconv.Itoa(d.Year())
	}
	return may, registered
}

// bureauRegisters is the day the 婚姻登记条例 made the district's civil
// affairs bureau the registrar of marriages.
var bureauRegisters = time.Date(2003, 10, 1, 0, 0, 0, 0, time.UTC)

// TestRecordValuesAgree: the values of a record agree with each other:
// ends after starts, parts of amounts that add up, the dates in numbers.
func TestRecordValuesAgree(t *testing.T) {
	pairs := map[string][2]string{
		"居民身份证信息":     {"证件有效期起始日期", "证件有效期截止日期"},
		"殡葬服务信息":      {"死亡日期", "火化日期"},
		"经营异常名录信息":    {"列入日期", "移出日期"},
		"法律援助信息":      {"受理日期", "结案日期"},
		"定点医药机构信息":    {"协议起始日期", "协议截止日期"},
		"门诊慢特病待遇认定信息": {"待遇认定日期", "待遇有效期至"},
		"残疾人证信息":      {"残疾人证发证日期", "残疾人证有效期至"},
		"营业执照信息":      {"成立日期", "发照日期"},
	}
	for _, s := range demoCatalog {
		e := entryOf(t, s.name)
		ns, ids := sample(e)
		for i, n := range ns {
			v := ValuesAsOf(e, ids[i], n, asOf)
			if p, ok := pairs[e.Name]; ok && v[p[1]] != "" && v[p[1]] < v[p[0]] {
				t.Errorf("%s %s: %s %s after %s %s", e.Name, ids[i], p[0], v[p[0]], p[1], v[p[1]])
			}
			switch e.Name {
			case "医疗费用结算信息":
				total, _ := strconv.ParseFloat(v["医疗总费用"], 64)
				fund, _ := strconv.ParseFloat(v["统筹支付金额"], 64)
				own, _ := strconv.ParseFloat(v["个人自付金额"], 64)
				if total <= 0 || fund <= 0 || own <= 0 || math.Abs(fund+own-total) > 0.005 {
					t.Errorf("%s: %v + %v != %v", ids[i], fund, own, total)
				}
			case "个人所得税纳税记录":
				in, _ := strconv.ParseFloat(v["收入额"], 64)
				tax, _ := strconv.ParseFloat(v["已缴税额"], 64)
				if in <= 0 || tax < 0 || tax >= in/2 {
					t.Errorf("%s: tax %v on %v", ids[i], tax, in)
				}
			case "残疾人证信息":
				want := ids[i] + strconv.Itoa(slices.Index(disabilities, v["残疾类别"])+1) +
					strconv.Itoa(slices.Index([]string{"一级", "二级", "三级", "四级"}, v["残疾等级"])+1)
				if v["残疾人证号"] != want {
					t.Errorf("%s: 残疾人证号 %s, 残疾类别 %s, 残疾等级 %s", ids[i], v["残疾人证号"], v["残疾类别"], v["残疾等级"])
				}
			case "中小学学籍信息":
				if v["全国学籍号"] != "G"+ids[i] {
					t.Errorf("%s: 全国学籍号 %s", ids[i], v["全国学籍号"])
				}
			case "营业执照信息":
				if !strings.HasPrefix(v["营业期限"], v["成立日期"]+"至") {
					t.Errorf("%s: 营业期限 %s, 成立日期 %s", ids[i], v["营业期限"], v["成立日期"])
				}
			case "预防接种信息":
				d, _ := time.Parse("2006-01-02", v["接种日期"])
				if age := d.Sub(birthDate(ids[i])).Hours() / 24 / 365; age > 7 {
					t.Errorf("%s: vaccinated at %.1f years", ids[i], age)
				}
			}
		}
	}
}

// TestSharedItemsAgree: where entries of different departments share an
// item key and subjects in the demo (any two entries may, their samples
// being drawn independently), their values agree, so that 多源校核 finds
// only the demo's deliberate differences: items of unrelated entries that
// only shared a name (许可证编号 of 食品经营许可 and of 建设用地规划许可,
// 证明编号 of 无犯罪记录证明 and of 死亡医学证明) were compared as one.
func TestSharedItemsAgree(t *testing.T) {
	var ordered []catalogSeed
	for _, s := range demoCatalog {
		if s.subject == person || s.subject == entity {
			ordered = append(ordered, s)
		}
	}
	compared := 0
	for i, a := range ordered {
		for j := i + 1; j < len(ordered); j++ {
			b := ordered[j]
			if a.subject != b.subject || a.dept == b.dept {
				continue
			}
			ea, eb := entryOf(t, a.name), entryOf(t, b.name)
			for _, ia := range ea.Items {
				for _, ib := range eb.Items {
					if ia.IdentifiesSubject || ib.IdentifiesSubject || catalog.ItemKey(ia.Name) != catalog.ItemKey(ib.Name) {
						continue
					}
					ns, ids := sample(ea)
					for k, n := range ns {
						if !hasRecord(eb, n, asOf) || eb.SubjectKind == records.LegalEntity && EntityUSCC(eb.Name, n) != ids[k] {
							continue // not the same subject
						}
						compared++
						if va, vb := ValuesAsOf(ea, ids[k], n, asOf)[ia.Name], ValuesAsOf(eb, ids[k], n, asOf)[ib.Name]; va != vb {
							t.Errorf("%s: %s %s %q, %s %s %q", ids[k], a.name, ia.Name, va, b.name, ib.Name, vb)
						}
					}
				}
			}
		}
	}
	if compared == 0 {
		t.Error("no shared items compared")
	}
}

// TestResidencePermits: a residence permit (居住证) is for a person who
// lives in a city other than that of the household registration (户籍):
// its holders are the district's migrants, whose citizen IDs carry the
// region of a county outside Foshan and who are in none of the entries of
// the district's registered residents (the household register, identity
// cards, birth certificates, benefits that require the registration); the
// registered residents (440605, or a county outside Foshan for those who
// moved in) have none; an enrolment says which one the pupil was on the
// day. All persons were registered in Nanhai, and one in twenty had a
// permit.
func TestResidencePermits(t *testing.T) {
	permit, household := entryOf(t, "居住证信息"), entryOf(t, "户籍人口基本信息")
	school, transfer := entryOf(t, "义务教育入学登记信息"), entryOf(t, "户口迁移登记信息")
	var residents []*records.Entry
	for _, name := range []string{"户籍人口基本信息", "居民身份证信息", "户口迁移登记信息", "出生医学证明信息",
		"最低生活保障对象信息", "特困人员供养信息", "残疾人证信息", "残疾人两项补贴信息"} {
		residents = append(residents, entryOf(t, name))
	}
	sampled, migrants, holders := 0, 0, 0
	for n := 0; n < DemoPersons; n += 97 {
		sampled++
		id := PersonID(n)
		if _, err := ident.Validate(id, ident.Strict); err != nil {
			t.Fatalf("person %d: %s: %v", n, id, err)
		}
		local := hasRecord(household, n, asOf)
		movedIn := local && hasRecord(transfer, n, asOf) && ValuesAsOf(transfer, id, n, asOf)["迁移类型"] == "迁入"
		if local && !movedIn && id[:6] != "440605" {
			t.Errorf("person %d (%s), born and registered in the district, with the ID of another county", n, id)
		}
		if !local || movedIn {
			if id[:4] == "4406" {
				t.Errorf("person %d (%s), a migrant or moved in: born or registered in Foshan", n, id)
			}
		}
		if !local {
			migrants++
		}
		for _, e := range residents {
			if !local && hasRecord(e, n, asOf) {
				t.Errorf("person %d (%s), registered elsewhere, in %s", n, id, e.Name)
			}
		}
		if hasRecord(permit, n, asOf) {
			holders++
			if local {
				t.Errorf("person %d (%s), registered in the district, with a residence permit", n, id)
			}
		} else if !local {
			t.Errorf("person %d (%s), a migrant, without a residence permit", n, id)
		}
		if hasRecord(school, n, asOf) {
			v := ValuesAsOf(school, id, n, asOf)
			here := local && (!movedIn || v["报名日期"] >= ValuesAsOf(transfer, id, n, asOf)["办理日期"])
			if got, want := v["户籍类别"], map[bool]string{true: "本区户籍", false: "非本区户籍"}[here]; got != want {
				t.Errorf("person %d (%s): 户籍类别 %s on %s, want %s", n, id, got, v["报名日期"], want)
			}
		}
	}
	// Nanhai had 3.7 million residents in 2020, less than half of them
	// registered there; the demo's population is mostly the registered.
	if migrants < sampled/4 || migrants > sampled/2 {
		t.Errorf("%d migrants of %d persons, want a quarter to a half", migrants, sampled)
	}
	t.Logf("%d of %d persons are migrants, %d with a residence permit", migrants, sampled, holders)
}

// TestDeadPersons: a dead person, in both death records (死亡医学证明信息,
// 殡葬服务信息, which hold the same persons and the same day of death), has
// the household registration cancelled (户口注销) and the identity card
// with it: the add of each record is followed by its cancel, as of the
// living only for those who moved out (TestMovedPersons); the dead are in
// no other entry but the marriage registrations, and no record is dated
// after the death. The household registrations and identity cards of the
// dead stayed active, and the dead had driving licences and certificates
// issued after their death.
func TestDeadPersons(t *testing.T) {
	cert, funeral := entryOf(t, "死亡医学证明信息"), entryOf(t, "殡葬服务信息")
	household, card, marriage := entryOf(t, "户籍人口基本信息"), entryOf(t, "居民身份证信息"), entryOf(t, "婚姻登记信息")
	transfer := entryOf(t, "户口迁移登记信息")
	var others []*records.Entry
	for _, s := range demoCatalog {
		switch s.name {
		case cert.Name, funeral.Name, household.Name, card.Name, marriage.Name:
			continue
		}
		if s.subject == person {
			others = append(others, entryOf(t, s.name))
		}
	}
	now := time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)
	sampled, dead := 0, 0
	for n := 0; n < DemoPersons; n += 7 {
		id := PersonID(n)
		died := hasRecord(cert, n, asOf)
		if hasRecord(funeral, n, asOf) != died {
			t.Errorf("person %d: in 死亡医学证明信息 %v, in 殡葬服务信息 %v", n, died, !died)
		}
		if !hasRecord(household, n, asOf) {
			if died {
				t.Errorf("person %d (%s): dead without a household registration", n, id)
			}
			continue
		}
		sampled++
		movedOut := hasRecord(transfer, n, asOf) && ValuesAsOf(transfer, id, n, asOf)["迁移类型"] == "迁出"
		for _, e := range []*records.Entry{household, card} {
			got := entryOps(e, n, now)
			switch {
			case !died && !movedOut && len(got) != 1:
				t.Errorf("person %d: %s operations %v, want an add", n, e.Name, got)
			case died && (len(got) != 2 || got[1].Op != records.Cancel || got[1].SubjectID != id ||
				!got[1].ProducedAt.After(got[0].ProducedAt) || got[1].Key == got[0].Key):
				t.Errorf("person %d, dead: %s operations %v, want an add and its cancel", n, e.Name, got)
			}
		}
		if !died {
			continue
		}
		dead++
		on := ValuesAsOf(cert, id, n, asOf)["死亡日期"]
		if d := ValuesAsOf(funeral, id, n, asOf)["死亡日期"]; d != on {
			t.Errorf("person %d: died on %s (死亡医学证明信息) and %s (殡葬服务信息)", n, on, d)
		}
		for _, e := range others {
			if hasRecord(e, n, asOf) {
				t.Errorf("person %d, dead on %s: in %s", n, on, e.Name)
			}
		}
		if d := ValuesAsOf(card, id, n, asOf)["证件有效期起始日期"]; d > on {
			t.Errorf("person %d, dead on %s: identity card issued on %s", n, on, d)
		}
		if hasRecord(marriage, n, asOf) {
			if d := ValuesAsOf(marriage, id, n, asOf)["登记日期"]; d > on {
				t.Errorf("person %d, dead on %s: %s on %s", n, on, ValuesAsOf(marriage, id, n, asOf)["登记类型"], d)
			}
		}
	}
	// Of the registered residents born 1950 to 1960 (55 to 75), about 1 %
	// die a year: the deaths since 2016 are about 3 % of all.
	if dead < sampled/100 || dead > sampled/25 {
		t.Errorf("%d dead of %d registered residents, want 1 to 4 %%", dead, sampled)
	}
	t.Logf("%d dead of %d registered residents", dead, sampled)
}

// entryOps returns the operations of person n in entry e, as SeedRecords
// pushes them at now.
func entryOps(e *records.Entry, n int, now time.Time) []records.Op {
	src := &demoSource{e: e, subjects: []int{n}, now: now}
	var out []records.Op
	for {
		var op records.Op
		if _, err := src.Next(&op); err != nil {
			return out
		}
		out = append(out, op)
	}
}

// TestMovedPersons: a person whose household registration moved out of
// the district (户口迁移登记信息, 迁出) has it cancelled there, and the
// identity card with it: the add of each record is followed by its cancel,
// after the move; the person is in no entry of the district but those of
// the move and of what was recorded before it (the birth, childhood, a
// marriage), and none of their records is dated after the move. A person
// who moved in (迁入) was born elsewhere: the citizen ID is of the county
// outside Foshan where it was issued with the first registration (the
// 出生地 of the household register; no birth certificate of the district);
// the household registration, the identity card and the benefits that
// require the registration date from the move in; a marriage registration of the district's bureau before the move in
// is of a spouse registered there, or since any registry registers any
// couple (10 May 2025, 全国通办). The end of a move in the district is the
// town of the household registration's address. The household
// registrations and identity cards of those who moved out stayed active,
// half of the cards issued after the move, and half of the cards of those
// who moved in were issued before it; six moves in seven named another
// town than the address; the bureau registered marriages of those who
// moved in, before the move, with a spouse registered elsewhere; every one
// who moved in had a 440605 ID, as if born in the district, and those
// born since 1996 a birth certificate of its hospitals.
func TestMovedPersons(t *testing.T) {
	transfer, household, card := entryOf(t, "户口迁移登记信息"), entryOf(t, "户籍人口基本信息"), entryOf(t, "居民身份证信息")
	marriage, birth := entryOf(t, "婚姻登记信息"), entryOf(t, "出生医学证明信息")
	// What may be recorded of a person before moving out: the birth,
	// childhood and a marriage registered while registered here.
	before := map[string]bool{transfer.Name: true, household.Name: true, card.Name: true,
		"出生医学证明信息": true, "预防接种信息": true, "义务教育入学登记信息": true, "婚姻登记信息": true}
	var persons, benefits []*records.Entry
	for _, s := range demoCatalog {
		if s.subject == person {
			persons = append(persons, entryOf(t, s.name))
		}
	}
	for _, name := range []string{"最低生活保障对象信息", "特困人员供养信息", "残疾人证信息", "残疾人两项补贴信息"} {
		benefits = append(benefits, entryOf(t, name))
	}
	// dates returns the days and months of the items of person n's record
	// in e that date what happened (not the validity that ends later).
	dates := func(e *records.Entry, id string, n int) map[string]string {
		v, out := ValuesAsOf(e, id, n, asOf), map[string]string{}
		for _, it := range e.Items {
			switch {
			case strings.Contains(it.Name, "有效期") && !strings.Contains(it.Name, "起始"):
			case (it.Type == "D" || it.Type == "T") && len(v[it.Name]) >= 10: // an empty one has not happened
				out[it.Name] = v[it.Name][:10]
			case it.Type == "C" && it.Length == 7 && strings.HasSuffix(it.Name, "月份"):
				out[it.Name] = v[it.Name]
			}
		}
		return out
	}
	now := time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)
	registered, movedIn, movedOut, within := 0, 0, 0, 0
	for n := 0; n < DemoPersons; n += 7 {
		if !hasRecord(household, n, asOf) {
			continue
		}
		registered++
		if !hasRecord(transfer, n, asOf) {
			continue
		}
		id := PersonID(n)
		mv := ValuesAsOf(transfer, id, n, asOf)
		on := mv["办理日期"]
		moved, err := time.Parse("2006-01-02", on)
		if err != nil {
			t.Fatalf("person %d: 办理日期 %q", n, on)
		}
		address, place := "广东省"+ValuesAsOf(household, id, n, asOf)["户籍地址"], mv["迁入地"]
		if mv["迁移类型"] == "迁出" {
			place = mv["迁出地"]
		}
		if !strings.HasPrefix(address, place) || mv["迁移类型"] == "区内移居" && strings.HasPrefix(address, mv["迁出地"]) {
			t.Errorf("person %d: household registration at %s, %s from %s to %s", n, address, mv["迁移类型"], mv["迁出地"], mv["迁入地"])
		}
		switch mv["迁移类型"] {
		case "迁出":
			movedOut++
			for _, e := range []*records.Entry{household, card} {
				got := entryOps(e, n, now)
				if len(got) != 2 || got[1].Op != records.Cancel || got[1].SubjectID != id || !got[1].ProducedAt.After(got[0].ProducedAt) ||
					!got[1].ProducedAt.After(moved) || got[1].Key == got[0].Key {
					t.Errorf("person %d, moved out on %s: %s operations %v, want an add and its cancel", n, on, e.Name, got)
				}
			}
			for _, e := range persons {
				if !hasRecord(e, n, asOf) {
					continue
				}
				if !before[e.Name] {
					t.Errorf("person %d, moved out on %s: in %s", n, on, e.Name)
				}
				for item, d := range dates(e, id, n) {
					if d > on[:len(d)] {
						t.Errorf("person %d, moved out on %s: %s %s %s", n, on, e.Name, item, d)
					}
				}
			}
		case "迁入":
			movedIn++
			if _, err := ident.Validate(id, ident.Strict); err != nil || id[:4] == "4406" {
				t.Errorf("person %d, moved in on %s: citizen ID %s of Foshan, as if born there (%v)", n, on, id, err)
			}
			if born := ValuesAsOf(household, id, n, asOf)["出生地"]; born == "" || strings.HasPrefix(born, "广东省佛山市") {
				t.Errorf("person %d (%s), moved in on %s: born in %q", n, id, on, born)
			}
			if hasRecord(birth, n, asOf) {
				t.Errorf("person %d (%s), moved in on %s: a birth certificate of the district", n, id, on)
			}
			for _, e := range []*records.Entry{household, card} {
				if got := entryOps(e, n, now); len(got) != 1 || got[0].Op != records.Add {
					t.Errorf("person %d, moved in on %s: %s operations %v, want an add", n, on, e.Name, got)
				}
			}
			if hasRecord(marriage, n, asOf) {
				v := ValuesAsOf(marriage, id, n, asOf)
				spouse := v["女方公民身份号码"]
				if spouse == id {
					spouse = v["男方公民身份号码"]
				}
				if d := v["登记日期"]; d < on && spouse[:6] != "440605" && d < "2025-05-10" {
					t.Errorf("person %d, moved in on %s: %s on %s with %s, registered elsewhere", n, on, v["登记类型"], d, spouse)
				}
			}
			for _, e := range append([]*records.Entry{card}, benefits...) {
				if !hasRecord(e, n, asOf) {
					continue
				}
				for item, d := range dates(e, id, n) {
					if d < on[:len(d)] {
						t.Errorf("person %d, moved in on %s: %s %s %s", n, on, e.Name, item, d)
					}
				}
			}
		default:
			within++
		}
	}
	// One in twenty registered residents moved since 2016: two in five
	// into the district, one in five out of it.
	if moved := movedIn + movedOut + within; moved < registered/30 || moved > registered/14 || movedOut == 0 || movedIn < movedOut {
		t.Errorf("of %d registered residents %d moved in, %d out, %d within the district", registered, movedIn, movedOut, within)
	}
	t.Logf("of %d registered residents %d moved in, %d out, %d within the district", registered, movedIn, movedOut, within)
}

// BenchmarkValues generates the values of one record of each demo entry
// per iteration (the demo builds about 400,000 records).
func BenchmarkValues(b *testing.B) {
	var entries []*records.Entry
	for _, s := range demoCatalog {
		if s.subject == person || s.subject == entity {
			entries = append(entries, entryOf(&testing.T{}, s.name))
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		n := i % DemoCompanies
		for _, e := range entries {
			id := PersonID(n)
			if e.SubjectKind == records.LegalEntity {
				id = CompanyUSCC(n)
			}
			ValuesAsOf(e, id, n, asOf)
		}
	}
}

// TestCompanyNames: the demo's companies are named as real ones are, 区划
// + 字号 (a trade name of two or three characters) + 行业 + 组织形式, each
// name its own; they held a sequence number and no trade name
// (佛山市南海区里水物流1371贸易商行).
func TestCompanyNames(t *testing.T) {
	form := regexp.MustCompile(`^佛山市南海区(\p{Han}{2,3})(` + strings.Join(bizWords, "|") + `)(` + strings.Join(bizSuffix, "|") + `)$`)
	seen := make(map[string]int, DemoCompanies)
	tradeNames := map[string]bool{}
	for n := 0; n < DemoCompanies; n++ {
		name := companyName(n)
		if strings.ContainsAny(name, "0123456789") {
			t.Fatalf("company %d: %q holds a digit", n, name)
		}
		m := form.FindStringSubmatch(name)
		if m == nil {
			t.Fatalf("company %d: %q is not 区划 + 字号 + 行业 + 组织形式", n, name)
		}
		if m[2] != bizWords[(n/3)%len(bizWords)] || m[3] != bizSuffix[n%len(bizSuffix)] {
			t.Errorf("company %d: %q, want the trade %s and the form %s (经营范围, 类型)", n, name, bizWords[(n/3)%len(bizWords)], bizSuffix[n%len(bizSuffix)])
		}
		if r := []rune(m[1]); r[0] == r[1] || len(r) == 3 && (r[1] == r[2] || r[0] == r[2]) {
			t.Errorf("company %d: trade name %s repeats a character", n, m[1])
		}
		tradeNames[m[1]] = true
		if o, ok := seen[name]; ok {
			t.Fatalf("companies %d and %d are both %q", o, n, name)
		}
		seen[name] = n
	}
	if len(tradeNames) < DemoCompanies/2 {
		t.Errorf("%d trade names among %d companies, want most of them different", len(tradeNames), DemoCompanies)
	}
}

// TestValuesFollowAsOf: the values are as of the day given, the end of the
// month before the seeding (AsOf): what happened happened by then, and
// validities (有效期, 截止日期, 下次检验日期) mostly run to it or beyond, as a
// provider's current data. The demo's values were as of 2025-12-31
// whenever it was seeded: a year later 918 of 1,000 下次检验日期 and
// about 34,200 of 35,661 居住证 签注有效期 were past.
func TestValuesFollowAsOf(t *testing.T) {
	for now, want := range map[time.Time]time.Time{
		time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC):    time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC):    time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC),
		time.Date(2028, 3, 1, 0, 0, 0, 0, beijing):     time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC), // Beijing's month
		time.Date(2027, 6, 30, 23, 59, 0, 0, time.UTC): time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC), // 1 July in Beijing
	} {
		if got := AsOf(now); !got.Equal(want) {
			t.Errorf("AsOf(%s) = %s, want %s", now.Format(time.RFC3339), day(got), day(want))
		}
	}
	firstDate := regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
	for _, at := range []time.Time{asOf, AsOf(time.Date(2027, 7, 15, 0, 0, 0, 0, time.UTC))} {
		for _, s := range demoCatalog {
			e := entryOf(t, s.name)
			ns, ids := sample(e)
			for _, it := range e.Items {
				validity := strings.Contains(it.Name, "有效期") && !strings.Contains(it.Name, "起始") || strings.Contains(it.Name, "截止") || strings.HasPrefix(it.Name, "下次")
				ahead, all := 0, 0
				for i, n := range ns {
					x := ValuesAsOf(e, ids[i], n, at)[it.Name]
					d := firstDate.FindString(x)
					switch {
					case d == "":
					case validity:
						all++
						if d >= day(at) { // still valid on the day
							ahead++
						}
					case d > day(at):
						t.Errorf("as of %s, %s subject %d: %s = %s", day(at), e.Name, n, it.Name, x)
					}
				}
				if all > 0 && ahead < all*8/10 {
					t.Errorf("as of %s, %s: %d of %d %s after it, want most", day(at), e.Name, ahead, all, it.Name)
				}
			}
		}
	}
}

// TestTradeLicences: a licence or qualification of a trade is held by
// companies of that trade alone, named so (食品经营许可 by 食品 companies,
// 建筑业企业资质 by 建筑 contractors, 商品房预售许可 by 房地产 developers),
// and by enough of them for the cross-checks; the licences of every
// company (营业执照, 纳税人登记, 施工许可 of the 建设单位) by companies of
// every trade. Every company held every licence (a 纺织 company 建筑业企业资质).
func TestTradeLicences(t *testing.T) {
	for name, item := range map[string]string{"食品经营许可信息": "经营者名称", "建筑业企业资质信息": "企业名称", "商品房预售许可信息": "开发企业名称"} {
		e := entryOf(t, name)
		word := map[string]string{"食品经营许可信息": "食品", "建筑业企业资质信息": "建筑", "商品房预售许可信息": "房地产"}[name]
		holders := 0
		for n := 0; n < DemoCompanies; n++ {
			if !hasRecord(e, n, asOf) {
				continue
			}
			holders++
			if v := ValuesAsOf(e, CompanyUSCC(n), n, asOf)[item]; !strings.Contains(v, word) {
				t.Errorf("%s held by company %d, %s %q: want a %s company", name, n, item, v, word)
				break
			}
		}
		if holders < 500 {
			t.Errorf("%s: %d holders, want at least 500", name, holders)
		}
	}
	for _, name := range []string{"营业执照信息", "纳税人登记信息", "经营异常名录信息", "施工许可信息"} {
		e := entryOf(t, name)
		trades := map[string]bool{}
		for n := 0; n < DemoCompanies; n++ {
			if hasRecord(e, n, asOf) {
				trades[bizWords[(n/3)%len(bizWords)]] = true
			}
		}
		if len(trades) != len(bizWords) {
			t.Errorf("%s held by companies of %d trades, want all %d", name, len(trades), len(bizWords))
		}
	}
}

// TestGivenNames: a person's given name of two characters never repeats a
// character and fits the sex of the citizen ID (the 17th digit), as do
// the spouse's, of the other sex, and a former name. Every person
// numbered below 7 was 伟伟 (陈伟伟, 李伟伟), one in 35 doubled a character,
// and a woman could be 陈强刚.
func TestGivenNames(t *testing.T) {
	male := map[rune]bool{}
	for _, c := range maleGiven {
		male[c] = true
	}
	female := map[rune]bool{}
	for _, c := range femaleGiven {
		female[c] = true
	}
	fits := func(who, name string, man bool) {
		t.Helper()
		r := []rune(name)
		if len(r) != 3 || r[1] == r[2] {
			t.Fatalf("%s: %s, want a surname and two different characters", who, name)
		}
		chars := map[bool]map[rune]bool{true: male, false: female}[man]
		if !chars[r[1]] || !chars[r[2]] {
			t.Fatalf("%s: %s is not a name of a %s", who, name, map[bool]string{true: "man", false: "woman"}[man])
		}
	}
	e := entryOf(t, "户籍人口基本信息")
	for n := range DemoPersons {
		id := PersonID(n)
		man := (id[16]-'0')%2 == 1
		fits(id, personName(n), man)
		if n%13 == 0 {
			s := newSubj(e.Name, e.SubjectKind, id, n, asOf)
			fits(id+"'s spouse", s.spouseName(), !man)
			if f := s.formerName(); f != "" {
				fits(id+"'s former name", f, man)
			}
		}
	}
}

// holderName says whether item key names the legal entity that holds the
// record (企业名称, 机构名称, 用地单位 …), not a thing of it (项目名称,
// 工程名称) or another body (业务主管单位).
func holderName(key string) bool {
	return strings.HasSuffix(key, "名称") && key != "项目名称" && key != "工程名称" || key == "用地单位" || key == "建设单位"
}

// TestOneNamePerUSCC: no unified social credit code is given two
// different names across the demo's legal-entity entries: a social
// organisation, a medical institution, a pharmacy, a care home for the
// disabled or a law firm has a code of its own of its kind (GB 32100: its
// registration authority and category), valid, not a company's. Every
// entry with a holder's name has one such item.
func TestOneNamePerUSCC(t *testing.T) {
	names := map[string]string{} // code → name
	where := map[string]string{} // code → the entry that gave the name
	for _, s := range demoCatalog {
		if s.subject != entity {
			continue
		}
		e := entryOf(t, s.name)
		var item string
		for _, it := range e.Items {
			if holderName(catalog.ItemKey(it.Name)) {
				if item != "" {
					t.Errorf("%s: two holder names, %s and %s", e.Name, item, it.Name)
				}
				item = it.Name
			}
		}
		if item == "" {
			continue
		}
		ns, ids := sample(e)
		for i, n := range ns {
			if _, err := ident.USCC(ids[i], ident.Strict); err != nil {
				t.Errorf("%s subject %d: %s: %v", e.Name, n, ids[i], err)
			}
			name := ValuesAsOf(e, ids[i], n, asOf)[item]
			if prev, ok := names[ids[i]]; ok && prev != name {
				t.Errorf("%s: %s %q, %s %q", ids[i], where[ids[i]], prev, e.Name, name)
				continue
			}
			names[ids[i]], where[ids[i]] = name, e.Name
		}
	}
}

// TestPrivateSchoolHolders: a private school's licence (民办学校办学许可)
// is held by schools, 民办非企业单位 (52 of the unified social credit
// code), whose 学校名称 ends like a school's, not by the demo's companies.
func TestPrivateSchoolHolders(t *testing.T) {
	e := entryOf(t, "民办学校办学许可信息")
	school := regexp.MustCompile(`(学校|学院|幼儿园|培训中心)$`)
	ns, ids := sample(e)
	for i, n := range ns {
		if !strings.HasPrefix(ids[i], "52") {
			t.Errorf("school %d: code %s, not a 民办非企业单位's", n, ids[i])
		}
		if name := ValuesAsOf(e, ids[i], n, asOf)["学校名称"]; !school.MatchString(name) {
			t.Errorf("school %d (%s): 学校名称 %q", n, ids[i], name)
		}
	}
}
