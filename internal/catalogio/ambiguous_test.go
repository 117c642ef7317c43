package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAmbiguousDomain: a domain that could mean two of the 22 (资源环境 of
// the real catalog: 资源能源 or 生态环境) is an error of its row naming
// both, not normalised to one of them as a synonym; one that means one
// (自然资源) is still normalised. As a mapping's default it is refused.
func TestAmbiguousDomain(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := csvHeader + strings.Replace(good("环境监测"), "公共安全", "资源环境", 1) +
			strings.Replace(good("矿产资源"), "公共安全", "自然资源", 1)
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
		if !catalogio.Rejected(err) {
			t.Fatalf("got err %v, want import_rejected", err)
		}
		if len(rep.Errors) != 1 {
			t.Fatalf("got errors %+v, want one", rep.Errors)
		}
		e := rep.Errors[0]
		if e.Row != 2 || e.Field != "domain" || e.Code != "ambiguous_value" ||
			!strings.Contains(e.Message, "“资源环境”") || !strings.Contains(e.Message, "资源能源或生态环境") {
			t.Errorf("got error %+v, want ambiguous_value of row 2 naming 资源能源 and 生态环境", e)
		}
		for _, c := range rep.Changes {
			if c.Field == "domain" && c.From == "资源环境" {
				t.Errorf("资源环境 normalised: %+v", c)
			}
		}
		found := false
		for _, c := range rep.Changes {
			found = found || c.Row == 3 && c.Field == "domain" && c.From == "自然资源" && c.To == "资源能源" && c.Reason == "同义词"
		}
		if !found {
			t.Errorf("自然资源 not normalised to 资源能源: %+v", rep.Changes)
		}

		m := &catalogio.Mapping{Defaults: map[string]string{"所属领域": "资源环境"}}
		if e := errs.As(m.Check()); e == nil || e.Code != "invalid_default" || !strings.Contains(e.Message, "资源能源或生态环境") {
			t.Errorf("default 所属领域=资源环境: got %v, want invalid_default naming the candidates", e)
		}
	})
}
