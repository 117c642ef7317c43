package catalog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRegistrationRegionCodeFolded: a registration whose provider's
// region code is written with full-width digits and a BOM (４４０６０５)
// registers the provider in region 440605 (text.FoldCode). Before,
// the document was refused: 所在行政区划 ４４０６０５ 未在本平台登记
// (unknown_region). On both engines.
func TestRegistrationRegionCodeFolded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		reg := householdRegistration(t, db)
		reg.Entries[0].Provider.RegionCode = "\ufeff４４０６０５"

		city, op := receivingPlatform(t, db)
		res, err := importRegistration(city, op, reg)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 1 || len(res.Departments) != 1 {
			t.Errorf("import: %+v, want 1 entry and its department", res)
		}
		d, err := org.DepartmentByRef(ctx, city.Read(), reg.Entries[0].Provider.USCC)
		if err != nil || d.RegionCode != "440605" {
			t.Errorf("registered provider: region %q (%v), want 440605", d.RegionCode, err)
		}
	})
}

// TestRegistrationRegionCodeLongRefused: a registration whose provider's
// region code is 340,000 U+FDFA (each character eighteen when folded) is
// refused invalid_region_code before the region is looked up, in a
// message under 4 KB. Before, the folded code, 11 MB, was sent to the
// database and back in the unknown_region message (所在行政区划 … 未在本平台登记).
// On both engines.
func TestRegistrationRegionCodeLongRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		reg := householdRegistration(t, db)
		reg.Entries[0].Provider.RegionCode = strings.Repeat("\ufdfa", 340000)

		city, op := receivingPlatform(t, db)
		_, err := importRegistration(city, op, reg)
		if e := errs.As(err); e == nil || e.Code != "invalid_region_code" || len(e.Error()) >= 4096 {
			t.Errorf("import: %d bytes of error %.200v, want invalid_region_code under 4 KB", len(fmt.Sprint(err)), err)
		}
	})
}
