package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLegalEntityIdentifiers: a legal entity's record is keyed by its
// unified social credit code, its organisation code, or, for a market
// entity that has neither, its business licence's 15-digit registration
// number (工商注册号, REQUIREMENTS 21), in subject_id and in the item that
// identifies it, each checked by its own rule; an identifier of none of
// these lengths is refused naming the three.
func TestLegalEntityIdentifiers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		firms := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "102001/000001", Name: "企业登记信息", SubjectKind: "legal_entity",
			Items: []records.Item{{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "企业名称", Type: "C", Length: 50}}})
		for _, c := range []struct {
			name, subject, item string
			want                string // the stored subject, "" refused
			code, reason        string
		}{
			{"registration number", "110108012660422", "110108012660422", "110108012660422", "", ""},
			{"organisation code", "71610585-2", "716105852", "716105852", "", ""},
			{"credit code", "91330100716105852F", "91330100716105852f", "91330100716105852F", "", ""},
			{"registration number, wrong check digit", "110108012660423", "", "", "invalid_reg_no", "工商注册号校验码错误，应为 2"},
			{"item: registration number, wrong check digit", "330100400015575", "330100400015576", "", "invalid_reg_no", "工商注册号校验码错误，应为 5"},
			{"legacy citizen ID", "440606850301126", "", "", "invalid_identifier",
				"该号码像是15位的旧版公民身份号码，不是工商注册号；法人和其他组织的标识应为18位统一社会信用代码、9位组织机构代码（含连字符10位）或15位工商注册号（营业执照注册号）"},
			{"item: legacy citizen ID", "330100400015575", "440606850301126", "", "invalid_identifier",
				"该号码像是15位的旧版公民身份号码，不是工商注册号；法人和其他组织的标识应为18位统一社会信用代码、9位组织机构代码（含连字符10位）或15位工商注册号（营业执照注册号）"},
			{"no form of that length", "3301004000155", "", "", "invalid_identifier",
				"法人和其他组织的标识应为18位统一社会信用代码、9位组织机构代码（含连字符10位）或15位工商注册号（营业执照注册号），实际为13位"},
		} {
			vals := map[string]string{"企业名称": "某公司"}
			if c.item != "" {
				vals["统一社会信用代码"] = c.item
			}
			res := f.push(f.pusher, firms, line("add", c.subject, monday, vals, ""), records.Options{})
			if c.want == "" {
				if res.RejectedCount != 1 || res.Rejected[0].Code != c.code || res.Rejected[0].Reason != c.reason {
					t.Errorf("%s: %+v, want %s %q", c.name, res, c.code, c.reason)
				}
				continue
			}
			if res.Applied != 1 || res.RejectedCount != 0 {
				t.Errorf("%s: %+v, want applied", c.name, res)
				continue
			}
			r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, firms), strings.ToLower(c.subject))
			if err != nil || r.SubjectID != c.want || r.Values["统一社会信用代码"] != c.want {
				t.Errorf("%s: record %+v, %v, want subject and item %s", c.name, r, err, c.want)
			}
		}
	})
}

// TestDateForms: a date item (type D) takes YYYY-MM-DD, YYYY/MM/DD and
// YYYY年MM月DD日 with or without leading zeros, and YYYYMMDD, stored as
// YYYY-MM-DD; a value in none of them, or a day that does not exist, is
// refused naming the forms.
func TestDateForms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		e := mustEntry(t, db, f.hj)
		for i, v := range []string{"2031-03-02", "2031-3-2", "2031/03/02", "2031/3/2", "2031年03月02日", "2031年3月2日", "2031年3月02日", "20310302"} {
			p := recordstest.CitizenID(i)
			if res := f.push(f.pusher, f.hj, line("add", p, monday, map[string]string{"出生日期": v}, ""), records.Options{}); res.Applied != 1 {
				t.Errorf("%s: %+v, want applied", v, res)
				continue
			}
			if r, err := records.Get(f.ctx, db.Read(), e, p); err != nil || r.Values["出生日期"] != "2031-03-02" {
				t.Errorf("%s: stored %q, %v; want 2031-03-02", v, r.Values["出生日期"], err)
			}
		}
		for _, v := range []string{"2031年2月30日", "2031年3月", "3/2/2031", "2031.3.2"} {
			res := f.push(f.pusher, f.hj, line("add", recordstest.CitizenID(50), monday, map[string]string{"出生日期": v}, ""), records.Options{})
			want := "信息项“出生日期”应为日期（YYYY-MM-DD、YYYY/MM/DD 或 YYYY年MM月DD日，月、日可不补零，或 YYYYMMDD）：“" + v + "”"
			if res.RejectedCount != 1 || res.Rejected[0].Code != "invalid_value" || res.Rejected[0].Reason != want {
				t.Errorf("%s: %+v, want invalid_value %s", v, res.Rejected, want)
			}
		}
	})
}

// TestChineseDateTimes: in a CSV file a date-time (produced_at, an item of
// type T) may also be written as Excel shows a Chinese long date, with or
// without a time (2026年3月2日 9:00, 2026年3月2日), in Beijing time, as
// its date may be written 2026/3/2; JSON lines keep to the ISO forms, and
// the refusal of one lists the forms each reads.
func TestChineseDateTimes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		visits := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101002/000001", Name: "来访登记信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "来访时间", Type: "T"}}})
		good := []struct{ cell, want string }{
			{"2026年3月2日 9:00", "2026-03-02T09:00:00+08:00"},
			{"2026年03月02日 09:05:30", "2026-03-02T09:05:30+08:00"},
			{"2026年3月1日", "2026-03-01T00:00:00+08:00"},
		}
		csv := "op,subject_id,produced_at,来访时间\n"
		for i, c := range good {
			csv += "add," + recordstest.CitizenID(i) + ",2026年3月2日 9:00," + c.cell + "\n"
		}
		res, err := records.Ingest(f.ctx, db, f.pusher, visits, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil || res.Applied != len(good) {
			t.Fatalf("Chinese date-times: %+v %v", res, err)
		}
		e := mustEntry(t, db, visits)
		for i, c := range good {
			if r, err := records.Get(f.ctx, db.Read(), e, recordstest.CitizenID(i)); err != nil || r.Values["来访时间"] != c.want {
				t.Errorf("%s: 来访时间 %q, %v; want %q", c.cell, r.Values["来访时间"], err, c.want)
			}
		}
		csv = "op,subject_id,produced_at,来访时间\nadd," + recordstest.CitizenID(10) + ",2026/3/2 9:00,2026年2月30日 9:00\n"
		res, _ = records.Ingest(f.ctx, db, f.pusher, visits, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if res.RejectedCount != 1 || !strings.Contains(res.Rejected[0].Reason, "YYYY年M月D日 H:MM[:SS]") {
			t.Errorf("a day that does not exist: %+v, want refused naming the Chinese form", res.Rejected)
		}
		res = f.push(f.pusher, visits, `{"op":"add","subject_id":"`+recordstest.CitizenID(11)+`","produced_at":"2026-03-02T09:00:00+08:00","values":{"来访时间":"2026年3月2日 9:00"}}`+"\n",
			records.Options{})
		if want := "信息项“来访时间”应为日期时间（RFC 3339，或北京时间的 YYYY-MM-DD HH:MM[:SS]、YYYY-MM-DD）：“2026年3月2日 9:00”"; res.RejectedCount != 1 || res.Rejected[0].Reason != want {
			t.Errorf("JSON line with a Chinese date-time: %+v, want %s", res.Rejected, want)
		}
	})
}
