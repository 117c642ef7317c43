package catalogio_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog/catalogtest"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestProvidersSharedShortName: a short name every city's department has
// (市司法局 of 银川 and of 芜湖, as the real catalog writes 提供部门) is
// accepted in both regions (org.CreateDepartment), and a file of
// 芜湖市司法局 whose rows name 市司法局 is its own, without any_provider.
// A short name that several other departments have names the one of them
// in the importing department's region (芜湖's 市教育局: another's row,
// other_provider naming it), and is ambiguous when none or several of them
// are there (an import by 南海's 公安分局). On both engines.
func TestProvidersSharedShortName(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		sys := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		ids := map[string]int64{}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, r := range []org.Region{{Code: "640000", Name: "宁夏回族自治区", Level: org.Province},
				{Code: "640100", Name: "银川市", Level: org.City, ParentCode: "640000"},
				{Code: "340000", Name: "安徽省", Level: org.Province},
				{Code: "340200", Name: "芜湖市", Level: org.City, ParentCode: "340000"}} {
				if err := org.CreateRegion(ctx, tx, sys, &r, t0); err != nil {
					return err
				}
			}
			for i, d := range []org.Department{
				{Name: "银川市司法局", ShortName: "市司法局", RegionCode: "640100"},
				{Name: "银川市教育局", ShortName: "市教育局", RegionCode: "640100"},
				{Name: "芜湖市司法局", ShortName: "市司法局", RegionCode: "340200"},
				{Name: "芜湖市教育局", ShortName: "市教育局", RegionCode: "340200"},
			} {
				d.USCC = demo.USCC(d.RegionCode, i+1)
				if err := org.CreateDepartment(ctx, tx, sys, &d, t0); err != nil {
					return err
				}
				ids[d.Name] = d.ID
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		provider := func(p string) []byte {
			return []byte(csvHeader + strings.Replace(good("一项"), "一项,,,", "一项,,"+p+",", 1))
		}
		wuhu := catalogtest.Actor("wuhu.sfj", ids["芜湖市司法局"], true, false)
		rep, err := importFile(w, wuhu, provider("市司法局"), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 1 || len(rep.Errors) != 0 {
			t.Errorf("市司法局 imported by 芜湖市司法局: created=%d errors=%v err=%v, want it created", rep.Created, rep.Errors, err)
		}
		if len(rep.Providers) != 1 || rep.Providers[0].Match != "short_name" || rep.Providers[0].DepartmentID != ids["芜湖市司法局"] {
			t.Errorf("市司法局 imported by 芜湖市司法局: providers %+v, want its own short name", rep.Providers)
		}

		rep, _ = importFile(w, wuhu, provider("市教育局"), catalogio.CSV, catalogio.Options{DryRun: true})
		if len(rep.Providers) != 1 || rep.Providers[0].Match != "short_name" || rep.Providers[0].DepartmentID != ids["芜湖市教育局"] {
			t.Errorf("市教育局 imported by 芜湖市司法局: providers %+v, want 芜湖市教育局, of its region", rep.Providers)
		}
		if len(rep.Errors) != 1 || rep.Errors[0].Code != "other_provider" || !strings.Contains(rep.Errors[0].Message, "芜湖市教育局") {
			t.Errorf("市教育局 imported by 芜湖市司法局: errors %v, want other_provider naming 芜湖市教育局", rep.Errors)
		}

		rep, _ = importFile(w, w.gaj, provider("市司法局"), catalogio.CSV, catalogio.Options{DryRun: true})
		if len(rep.Providers) != 1 || rep.Providers[0].Match != "ambiguous" || rep.Providers[0].DepartmentID != 0 ||
			!strings.Contains(rep.Providers[0].DepartmentName, "银川市司法局") || !strings.Contains(rep.Providers[0].DepartmentName, "芜湖市司法局") {
			t.Errorf("市司法局 imported by 南海公安分局: providers %+v, want ambiguous naming both", rep.Providers)
		}
		if len(rep.Errors) != 1 || rep.Errors[0].Code != "ambiguous_provider" {
			t.Errorf("市司法局 imported by 南海公安分局: errors %v, want ambiguous_provider", rep.Errors)
		}
	})
}
