package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDocumentLegalEntityType: a 证件号码 beside a 证件类型 naming a legal
// entity's code (统一社会信用代码 and its other names, 营业执照,
// 组织机构代码) is checked as that code (GB 32100-2015's form and check
// character, a wrong one a warning as for a company's code), refused
// with its code and a message naming the item and the type; a citizen ID
// under 统一社会信用代码, or a credit code under 居民身份证, is said to be
// the other kind of subject's. A person's entry keyed by a 证件号码 whose
// type names a legal entity's code is refused. The type was not read: any
// such number was a 证件号码 of a kind not given.
func TestDocumentLegalEntityType(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		company := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000151", Name: "参保单位信息", SubjectKind: "legal_entity",
			Items: []records.Item{{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "投资人证件类型", Type: "C", Length: 20}, {Name: "投资人证件号码", Type: "C", Length: 32}}})
		person := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000152", Name: "境外人员参保信息", SubjectKind: "person",
			Items: []records.Item{{Name: "证件类型", Type: "C", Length: 20}, {Name: "证件号码", Type: "C", Length: 32, IdentifiesSubject: true},
				{Name: "姓名", Type: "C", Length: 10}}})
		citizen := recordstest.CitizenID(1)
		orgCheck, err := ident.OrgCodeCheck("12345678")
		if err != nil {
			t.Fatal(err)
		}
		badOrg := "12345678-" + map[bool]string{true: "1", false: "0"}[orgCheck == '0']
		investor := func(typ, number string) map[string]string {
			return map[string]string{"投资人证件类型": typ, "投资人证件号码": number}
		}
		const prefix = "信息项“投资人证件号码”的值不是信息项“投资人证件类型”所填证件类型“"
		for i, tt := range []struct {
			typ, number, code, reason string
		}{
			{"统一社会信用代码", "91350100M000100Y4", "invalid_uscc", "统一社会信用代码”的号码：统一社会信用代码长度应为18位，实际为17位"},
			{"社会信用代码", "91350100M0I0100Y43", "invalid_uscc", "社会信用代码”的号码：统一社会信用代码含非法字符“I”（第11位）"},
			{"统一社会信用代码", citizen, "invalid_uscc", "统一社会信用代码”的号码：该号码是公民身份号码（自然人的证件号码），不是法人和其他组织的统一社会信用代码"},
			{"营业执照", "1101080000000", "invalid_uscc", "营业执照”的号码：营业执照号码应为18位统一社会信用代码或15位工商注册号，实际为13位"},
			{"组织机构代码", badOrg, "invalid_org_code", "组织机构代码”的号码：组织机构代码校验码错误，应为 " + string(orgCheck)},
			{"居民身份证", "91350100M000100Y43", "invalid_citizen_id", "居民身份证”的号码：该号码是统一社会信用代码（法人和其他组织的证件号码），不是自然人的证件号码"},
		} {
			res := f.push(f.rsjPusher, company, line("add", recordstest.USCC(10+i), monday, investor(tt.typ, tt.number), ""), records.Options{})
			if res.Applied != 0 || len(res.Rejected) != 1 || res.Rejected[0].Code != tt.code || res.Rejected[0].Field != "投资人证件号码" ||
				res.Rejected[0].Reason != prefix+tt.reason {
				t.Errorf("%s %s: applied %d, refused %+v; want %s %s%s", tt.typ, tt.number, res.Applied, res.Rejected, tt.code, prefix, tt.reason)
			}
		}

		c1, c2, c3 := recordstest.USCC(1), recordstest.USCC(2), recordstest.USCC(3)
		res := f.push(f.rsjPusher, company, line("add", c1, monday, investor("统一社会信用代码", "91350100m000100y43"), "")+
			line("add", c2, monday, investor("营业执照", "110108000000016"), "")+
			line("add", c3, monday, investor(" 社会信用代码 ", "91350100M000100Y4A"), ""), records.Options{})
		if res.Applied != 3 || len(res.Warnings) != 1 || res.Warnings[0].Code != "uscc_check_digit" || res.Warnings[0].Field != "投资人证件号码" ||
			!strings.HasPrefix(res.Warnings[0].Reason, "信息项“投资人证件号码”的统一社会信用代码 ") || !strings.Contains(res.Warnings[0].Reason, "的校验码不符，应为 3") {
			t.Errorf("good codes: applied %d, refused %+v, warned %+v; want 3 applied, the last warned uscc_check_digit", res.Applied, res.Rejected, res.Warnings)
		}
		// A change of the type alone is checked against the number held.
		res = f.push(f.rsjPusher, company, line("change", c2, monday.Add(time.Hour), map[string]string{"投资人证件类型": "居民身份证"}, ""), records.Options{})
		if len(res.Rejected) != 1 || res.Rejected[0].Code != "invalid_citizen_id" || res.Rejected[0].Field != "投资人证件类型" {
			t.Errorf("type changed to 居民身份证 over a registration number: %+v, want invalid_citizen_id on 投资人证件类型", res)
		}

		// A person's entry is keyed by no legal entity's code.
		res = f.push(f.rsjPusher, person, line("add", c1, monday, map[string]string{"证件类型": "统一社会信用代码", "姓名": "某公司"}, ""), records.Options{})
		if res.Applied != 0 || len(res.Rejected) != 1 || res.Rejected[0].Code != "invalid_document_type" || res.Rejected[0].Field != "subject_id" ||
			!strings.HasPrefix(res.Rejected[0].Reason, "信息项“证件类型”所填证件类型“统一社会信用代码”是法人和其他组织的证件，本数据资源的主体是自然人") {
			t.Errorf("person keyed by a credit code: %+v, want invalid_document_type on subject_id", res)
		}
		res = f.push(f.rsjPusher, person, line("add", "91350100M000100Y43", monday, map[string]string{"证件类型": "身份证", "姓名": "某"}, ""), records.Options{})
		if len(res.Rejected) != 1 || res.Rejected[0].Code != "invalid_citizen_id" || res.Rejected[0].Field != "subject_id" ||
			res.Rejected[0].Reason != "主体标识（subject_id）不是信息项“证件类型”所填证件类型“身份证”的号码：该号码是统一社会信用代码（法人和其他组织的证件号码），不是自然人的证件号码" {
			t.Errorf("credit code under 身份证: %+v, want invalid_citizen_id saying it is a credit code", res)
		}
	})
}
