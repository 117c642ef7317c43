package catalogio_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// coded is good(name) with a resource code.
func coded(name, code string) string {
	return strings.Replace(good(name), name+",,", name+","+code+",", 1)
}

// TestFileCodeSequenceTooLong: a file code whose sequence is longer than the
// six digits the platform generates is not kept (the import reports its new
// code), so it can neither break nor stretch the classification's sequence.
func TestFileCodeSequenceTooLong(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := csvHeader + coded("巨码", "301001/9223372036854775807") + coded("笔误", "301001/999999999999")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{})
		if err != nil {
			t.Fatalf("import: %v %v", err, rep.Errors)
		}
		want := map[string]string{"301001/9223372036854775807": "301001/000001", "301001/999999999999": "301001/000002"}
		for _, e := range rep.Entries {
			if e.Action != "created" || e.Code != want[e.FileCode] {
				t.Errorf("entry %+v, want created as %s", e, want[e.FileCode])
			}
		}
		reported := 0
		for _, c := range rep.Changes {
			if c.Field == "code" && c.Reason == "新编代码" && c.To == want[c.From] {
				reported++
			}
		}
		if reported != 2 {
			t.Errorf("changes %+v: want both new codes reported", rep.Changes)
		}
		rep, err = importFile(w, w.gaj, []byte(csvHeader+good("之后的资源")), catalogio.CSV, catalogio.Options{})
		if err != nil || len(rep.Entries) != 1 || rep.Entries[0].Code != "301001/000003" {
			t.Fatalf("codeless row after them: %+v, err %v %v", rep.Entries, err, rep.Errors)
		}
	})
}

// TestCodeSequenceExhausted: a classification whose sequence reached
// 999999 refuses a new code as an error of the row, not of the server.
func TestCodeSequenceExhausted(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		rep, err := importFile(w, w.gaj, []byte(csvHeader+coded("末号", "301001/999999")), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Entries[0].Code != "301001/999999" {
			t.Fatalf("import: %+v, err %v %v", rep.Entries, err, rep.Errors)
		}
		rep, err = importFile(w, w.gaj, []byte(csvHeader+good("之后的资源")+strings.Replace(good("另一分类"), ",001,", ",002,", 1)), catalogio.CSV,
			catalogio.Options{GoodOnly: true})
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		if len(rep.Errors) != 1 || rep.Errors[0].Code != "code_sequence_exhausted" || rep.Errors[0].Row != 2 {
			t.Errorf("errors %+v, want code_sequence_exhausted on row 2", rep.Errors)
		}
		if rep.Created != 1 || rep.Entries[1].Code != "301002/000001" {
			t.Errorf("entries %+v: want the other classification's row created", rep.Entries)
		}
	})
}

// TestMigrationMendsSequences: migration 0013 brings a sequence that an
// imported code had moved past 999999 back to the largest six-digit
// sequence in use.
func TestMigrationMendsSequences(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		file := csvHeader + coded("五号", "301001/000005") + strings.Replace(good("另一分类"), ",001,", ",002,", 1)
		if rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{}); err != nil {
			t.Fatalf("import: %v %v", err, rep.Errors)
		}
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_code_sequences SET last = 9223372036854775807
			WHERE class_code = '301001'`); err != nil {
			t.Fatal(err)
		}
		dialect := "sqlite"
		if db.Dialect == sqldb.Postgres {
			dialect = "postgres"
		}
		mend, err := os.ReadFile(filepath.Join("..", "sqldb", "migrations", dialect, "0013_catalog_code_sequences.sql"))
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(mend), ";") // the migration's first statement mends the sequences
		if _, err := db.Write().ExecContext(ctx, first); err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		rows, err := db.Read().QueryContext(ctx, `SELECT class_code, last FROM catalog_code_sequences`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var class string
			var last int64
			if err := rows.Scan(&class, &last); err != nil {
				t.Fatal(err)
			}
			got[class] = last
		}
		if got["301001"] != 5 || got["301002"] != 1 {
			t.Errorf("sequences %v, want 301001 at 5, 301002 at 1", got)
		}
	})
}

// TestUnclosedBracketRoundTrip: a service item whose name opens a bracket it
// never closes comes back from its export as it was, code included, not
// merged with the next item.
func TestUnclosedBracketRoundTrip(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		src := newWorld(t, db)
		r := resources()[0]
		r.ServiceItems[0].Name = "户口迁移（省内"
		create(t, src, src.gaj, r)
		for _, f := range []catalogio.Format{catalogio.XLSX, catalogio.CSV} {
			data := export(t, src, src.gaj, f, catalogio.ExportOptions{})
			dst := newWorld(t, otherDB(t, db))
			if rep, err := importFile(dst, dst.gaj, data, f, catalogio.Options{}); err != nil {
				t.Fatalf("%s import: %v %v", f, err, rep.Errors)
			}
			got := resourcesOf(t, dst, dst.gaj)[r.Name].ServiceItems
			if len(got) != len(r.ServiceItems) || got[0] != r.ServiceItems[0] || got[1] != r.ServiceItems[1] {
				t.Errorf("%s: service items %+v, want %+v", f, got, r.ServiceItems)
			}
		}
	})
}

// TestFileCodesReservedFirst: a row without a code before a row whose code
// is new to the platform does not take that code: the later row keeps it.
func TestFileCodesReservedFirst(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := csvHeader + good("无码") + coded("带码", "301001/000001")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{})
		if err != nil {
			t.Fatalf("import: %v %v", err, rep.Errors)
		}
		got := map[string]string{}
		for _, e := range rep.Entries {
			got[e.Name] = e.Code
		}
		if got["带码"] != "301001/000001" || got["无码"] != "301001/000002" {
			t.Errorf("codes %v, want 带码 301001/000001 and 无码 301001/000002", got)
		}
	})
}
