package catalog_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio/catalogiotest"
)

// TestLicenceWordsCoverRealLicences: every licence type of the realdata
// list (licence_types.csv, 79 types) is one of licences and documents to
// the timeliness rule (catalog.LicenceBasis), named as an entry names it
// (居民身份证信息, 结婚证登记信息): 居民身份证, 普通护照, 结婚证 and six more held
// none of the licence words, and their entries were held to 2 working days.
func TestLicenceWordsCoverRealLicences(t *testing.T) {
	rows, err := csv.NewReader(bytes.NewReader(catalogiotest.ReadRealData(t, "licence_types.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 80 || rows[0][0] != "licence_name" {
		t.Fatalf("licence_types.csv: %d rows, header %v; want a licence_name header and 79 types", len(rows), rows[0])
	}
	for _, row := range rows[1:] {
		for _, name := range []string{row[0] + "信息", row[0] + "登记信息"} {
			if catalog.LicenceBasis(catalog.Departmental, "01", name) == "" {
				t.Errorf("%s: not a licence to the timeliness rule", name)
			}
		}
	}
}
