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
