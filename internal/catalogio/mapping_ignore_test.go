package catalogio_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSavedMappingKeepsIgnored: a column the user's mapping ignores (an
// empty target: -map description=) is saved so by MappingFrom (what
// -save-mapping saves), and the saved mapping ignores it again, where it
// was left out and the next import read description as 摘要 by synonym.
func TestSavedMappingKeepsIgnored(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := strings.Replace(csvHeader, ",摘要,", ",description,", 1) + good("忽略摘要列")
		m := &catalogio.Mapping{Columns: map[string]string{"description": ""}, Defaults: map[string]string{"摘要": "默认摘要"}}
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{Mapping: m, DryRun: true})
		if err != nil {
			t.Fatalf("import: %v %v", err, rep.Errors)
		}
		saved := catalogio.MappingFrom("开放平台", rep.Columns, m.Defaults)
		if target, ok := saved.Columns["description"]; !ok || target != "" {
			t.Fatalf("saved columns %v, want description ignored (empty target)", saved.Columns)
		}
		data, err := json.Marshal(saved)
		if err != nil {
			t.Fatal(err)
		}
		var reused catalogio.Mapping
		if err := json.Unmarshal(data, &reused); err != nil {
			t.Fatal(err)
		}
		if err := reused.Check(); err != nil {
			t.Fatalf("saved mapping refused: %v", err)
		}
		rep, err = importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{Mapping: &reused, DryRun: true})
		if err != nil {
			t.Fatalf("import with the saved mapping: %v %v", err, rep.Errors)
		}
		for _, c := range rep.Columns {
			if c.Header == "description" && c.Field != "" {
				t.Errorf("reused mapping read description as %s (%s), want it ignored", c.Field, c.Source)
			}
		}
	})
}
