package catalog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestIdentifyingOnlySubjectIdentifier: an item marked identifies_subject
// leaves the one-data-one-source rule, so an entry about persons may mark
// only a 公民身份号码 (or a qualified one, 男方公民身份号码), and one about legal
// entities only a 统一社会信用代码. 市监局's person entry marking 姓名,
// 出生日期 and 户籍地址 (which 公安 publishes) identifying is refused on the
// first such item's identifies_subject (not_subject_identifier), as is a
// legal-entity entry marking 身份证号; nothing is stored.
func TestIdentifyingOnlySubjectIdentifier(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		refused := func(r catalog.Resource, field, what string) {
			t.Helper()
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Create(ctx, tx, w.scj, w.scj.DepartmentID, r, t0)
			})
			x := errs.As(err)
			if x == nil || x.Kind != errs.Invalid || x.Field != field || x.Code != "not_subject_identifier" || !strings.Contains(x.Message, what) {
				t.Errorf("%s: got %v, want not_subject_identifier on %s naming %s", r.Name, err, field, what)
			}
		}
		r := household()
		r.Name = "个体经营者信息"
		for i := 1; i < len(r.Items); i++ {
			r.Items[i].IdentifiesSubject = true
		}
		refused(r, "items[1].identifies_subject", "自然人数据资源只能将公民身份号码（或护照、通行证、永久居留身份证等证件的号码）标为标识主体：信息项“姓名”不是自然人的标识")

		l := household()
		l.Name, l.SubjectKind = "企业登记信息", catalog.LegalEntity
		l.Items = []catalog.Item{{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true},
			{Name: "法定代表人身份证号", Type: "C", Length: 18, IdentifiesSubject: true}}
		refused(l, "items[1].identifies_subject", "信息项“法定代表人身份证号”不是法人和其他组织的标识")

		var n int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM catalog_entries`).Scan(&n); err != nil || n != 0 {
			t.Errorf("after the refusals: %d entries (%v), want none", n, err)
		}

		m := household()
		m.Name = "婚姻登记信息"
		m.Items = []catalog.Item{{Name: "男方公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
			{Name: "女方 身份证号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "登记日期", Type: "D"}}
		if e := create(t, w, w.scj, m); !e.Items[0].IdentifiesSubject || !e.Items[1].IdentifiesSubject {
			t.Errorf("qualified identifiers stored unmarked: %+v", e.Items)
		}
		l.Items[1].IdentifiesSubject = false
		if e := create(t, w, w.scj, l); e.Items[1].IdentifiesSubject {
			t.Errorf("legal entity: %+v", e.Items)
		}
	})
}

// TestIdentifierKind: the identifiers of persons and legal entities under
// their synonyms and qualified, and names that are neither.
func TestIdentifierKind(t *testing.T) {
	for name, want := range map[string]catalog.SubjectKind{
		"公民身份号码": catalog.Person, "身份证号": catalog.Person, "居民身份证号码": catalog.Person, "新生儿公民身份号码": catalog.Person,
		"身份证件号码": catalog.Person, "统一社会信用代码": catalog.LegalEntity, "信用代码": catalog.LegalEntity,
		"姓名": "", "出生日期": "", "户籍地址": "", "统一受理号": "", "企业名称": "",
		"护照号码": catalog.Person, "护照号": catalog.Person, "港澳居民来往内地通行证号码": catalog.Person,
		"台湾居民来往大陆通行证号码": catalog.Person, "外国人永久居留身份证号码": catalog.Person, "外国人永久居留证号码": catalog.Person,
		"证件号码": catalog.Person, "法定代表人证件号码": catalog.Person, "持证人 证件号码": catalog.Person,
		"注册号": catalog.LegalEntity, "工商注册号": catalog.LegalEntity, "营业执照注册号": catalog.LegalEntity,
		"组织机构代码": catalog.LegalEntity, "纳税人识别号": catalog.LegalEntity, "社会信用代码": catalog.LegalEntity,
		"个人信用代码": "", "商标注册号": "", "证件类型": "", "行政区划代码": "", "放射诊疗许可证号": "", "车辆通行证号码": "",
	} {
		if got := catalog.IdentifierKind(name); got != want {
			t.Errorf("IdentifierKind(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestIdentifyingOtherDocuments: a person is identified by other documents
// than the 居民身份证 (护照, the mainland travel permits of 港澳 and 台湾
// residents, a foreigner's permanent residence ID, or a 证件号码 beside its
// 证件类型), a legal entity by its historical numbers (注册号, 组织机构代码,
// 纳税人识别号): entries keyed by them are stored under their subject kind,
// which refused them (not_subject_identifier) and, unmarked,
// identifying_item_required. 个人信用代码 is no legal entity's identifier.
func TestIdentifyingOtherDocuments(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for i, c := range []struct {
			kind catalog.SubjectKind
			key  string
		}{{catalog.Person, "护照号码"}, {catalog.Person, "港澳居民来往内地通行证号码"}, {catalog.Person, "台湾居民来往大陆通行证号码"},
			{catalog.Person, "外国人永久居留身份证号码"}, {catalog.Person, "证件号码"},
			{catalog.LegalEntity, "注册号"}, {catalog.LegalEntity, "工商注册号"}, {catalog.LegalEntity, "组织机构代码"},
			{catalog.LegalEntity, "纳税人识别号"}} {
			r := household()
			r.Name, r.SubjectKind = fmt.Sprintf("证件登记信息%d", i), c.kind
			r.Items = []catalog.Item{{Name: "证件类型", Type: "C", Length: 20}, {Name: c.key, Type: "C", Length: 30, IdentifiesSubject: true},
				{Name: "登记日期", Type: "D"}}
			if e := create(t, w, w.scj, r); !e.Items[1].IdentifiesSubject {
				t.Errorf("%s: %+v", c.key, e.Items)
			}
		}
		r := household()
		r.Name, r.SubjectKind = "企业信用信息", catalog.LegalEntity
		r.Items = []catalog.Item{{Name: "个人信用代码", Type: "C", Length: 18, IdentifiesSubject: true}}
		_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Create(ctx, tx, w.scj, w.scj.DepartmentID, r, t0)
		})
		if x := errs.As(err); x == nil || x.Code != "not_subject_identifier" || x.Field != "items[0].identifies_subject" {
			t.Errorf("法人 entry keyed by 个人信用代码: %v, want not_subject_identifier", err)
		}
	})
}
