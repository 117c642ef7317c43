package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRegistrationRegionCodeNamed: a registration whose provider's region
// code is no code is refused invalid_region_code on
// entries[0].provider.region_code, the message naming the entry's code,
// the provider, the code as read and what is wrong with it, and telling to
// correct the document; a code over 64 bytes is told by its length alone,
// one of invisible characters alone is shown (before, told 不能为空).
// Before, 4406O5 was told 101001/000001：行政区划代码只能包含数字, naming
// neither the provider nor the code. On both engines.
func TestRegistrationRegionCodeNamed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		reg := householdRegistration(t, db)
		entry, provider := reg.Entries[0].Code, reg.Entries[0].Provider.Name
		city, op := receivingPlatform(t, db)
		for _, c := range []struct{ code, says string }{
			{"4406O5", "“4406O5”的第5个字符“O”不是数字：应为6位数字（乡镇为9位）；请在注册文件中更正"},
			{"４４０６０", "“44060”为5位：应为6位数字（乡镇为9位）；请在注册文件中更正"},
			{strings.Repeat("\ufdfa", 340000), "过长（1020000字节）：应为6位数字（乡镇为9位）；请在注册文件中更正"},
			{" \ufeff\u200b ", "“[U+FEFF][U+200B]”只含不可见的字符：应为6位数字（乡镇为9位）；请在注册文件中更正"},
		} {
			reg.Entries[0].Provider.RegionCode = c.code
			_, err := importRegistration(city, op, reg)
			want := entry + "：数源部门“" + provider + "”的行政区划代码" + c.says
			if e := errs.As(err); e == nil || e.Code != "invalid_region_code" || e.Field != "entries[0].provider.region_code" || e.Message != want {
				t.Errorf("import %.20q: %.300v, want invalid_region_code on entries[0].provider.region_code: %s", c.code, err, want)
			}
		}
	})
}

// TestRegistrationRegionCodePadded: a provider's region code padded with
// white space past org.MaxRegionCodeInput bytes (as a fixed-width export
// pads it) is read as its code, as a new department's is: the provider is
// registered in that region. Before, it was refused 过长（77字节）, the
// padding counted (R3 review). On both engines.
func TestRegistrationRegionCodePadded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		reg := householdRegistration(t, db)
		p := &reg.Entries[0].Provider
		region := p.RegionCode
		p.RegionCode = " " + region + strings.Repeat(" ", 70)
		city, op := receivingPlatform(t, db)
		if _, err := importRegistration(city, op, reg); err != nil {
			t.Fatalf("import with %d bytes of region code: %v, want imported", len(p.RegionCode), err)
		}
		var got string
		if err := city.Read().QueryRowContext(ctx, `SELECT region_code FROM departments WHERE uscc = $1`, p.USCC).Scan(&got); err != nil || got != region {
			t.Errorf("provider registered in region %q (%v), want %s", got, err, region)
		}
	})
}
