package main

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMappingSaveRefusedSaid: hutong import catalog -save-mapping whose
// mapping cannot be saved because the audit log refuses its row (a full
// disk) says 保存列映射：审计日志暂时无法写入…, the command's Chinese wrap
// kept and the English of the packages behind it dropped, where it said
// 保存列映射：sqldb: write deferred rows: 审计日志暂时无法写入…. The import's
// own rows are written.
func TestMappingSaveRefusedSaid(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		cliDepartments(mustHutong(t, vars))
		db, err := sqldb.Open(context.Background(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		refuse := `CREATE TRIGGER mapping_refused BEFORE INSERT ON audit_log WHEN NEW.action = 'catalog.import_mapping.save'
			BEGIN SELECT RAISE(ABORT, 'disk full'); END`
		if db.Dialect == sqldb.Postgres {
			refuse = `CREATE FUNCTION mapping_refused() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN IF NEW.action = 'catalog.import_mapping.save' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$;
				CREATE TRIGGER mapping_refused BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION mapping_refused()`
		}
		sqldbtest.Exec(t, db, refuse)
		in := tempFile(t, "in.csv", cliCatalogCSV)
		out, err := hutong(t, vars, "import", "catalog", "-file", in, "-department", "区市监局", "-save-mapping", "甲", "-default", "网络环境=政务外网")
		if err == nil {
			t.Fatalf("import with the mapping's audit row refused: no error\n%s", out)
		}
		if said := message(err); !strings.HasPrefix(said, "保存列映射：审计日志暂时无法写入：") || strings.Contains(said, "sqldb:") ||
			strings.Contains(said, "write deferred rows") {
			t.Errorf("mapping not saved: %q; want 保存列映射：审计日志暂时无法写入… without the packages' English", said)
		}
		if n := sqldbtest.Column(t, db, `SELECT name FROM catalog_entries`); len(n) != 1 {
			t.Errorf("entries after the import: %q; want the file's one", n)
		}
	})
}
