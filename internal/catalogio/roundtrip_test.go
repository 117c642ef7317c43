package catalogio_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRoundTrip exports a catalog, imports the file into a fresh database
// and compares the entries' metadata field by field.
func TestRoundTrip(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		src := newWorld(t, db)
		for _, r := range resources() {
			create(t, src, src.gaj, r)
		}
		want := resourcesOf(t, src, src.gaj)
		if len(want) != 3 {
			t.Fatalf("got %d entries, want 3", len(want))
		}
		for _, f := range []catalogio.Format{catalogio.XLSX, catalogio.CSV, catalogio.JSONL} {
			t.Run(string(f), func(t *testing.T) {
				data := export(t, src, src.gaj, f, catalogio.ExportOptions{DepartmentID: src.gajID})
				dst := newWorld(t, otherDB(t, db))
				rep, err := importFile(dst, dst.gaj, data, f, catalogio.Options{})
				if err != nil {
					t.Fatalf("import: %v\nerrors: %v", err, rep.Errors)
				}
				if !rep.Imported || rep.Created != 3 || len(rep.Errors) != 0 {
					t.Fatalf("got imported=%v created=%d errors=%v, want 3 created", rep.Imported, rep.Created, rep.Errors)
				}
				if len(rep.Changes) != 0 {
					t.Errorf("round trip changed values: %+v", rep.Changes)
				}
				for _, c := range rep.Columns {
					if c.Source != "layout" {
						t.Errorf("column %s %s understood as %s, want layout", c.Sheet, c.Header, c.Source)
					}
				}
				got := resourcesOf(t, dst, dst.gaj)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("catalog after round trip differs (-want +got):\n%s", diff)
				}
				// Importing the same file again finds nothing to change.
				again := export(t, dst, dst.gaj, f, catalogio.ExportOptions{})
				rep, err = importFile(dst, dst.gaj, again, f, catalogio.Options{})
				if err != nil || rep.Unchanged != 3 || rep.Created != 0 {
					t.Errorf("re-import: got unchanged=%d created=%d err=%v, want 3 unchanged", rep.Unchanged, rep.Created, err)
				}
			})
		}
	})
}

// TestRoundTripKeepsCodes: a file imported into another database keeps its
// resource codes (so related codes still point at the right entries), and
// importing the same file again changes nothing. Retired entries are left
// out unless asked for.
func TestRoundTripKeepsCodes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		src := newWorld(t, db)
		rs := resources()
		// Codes out of name order (户籍… sorts before 流动…, both 101001),
		// and an entry that relates to others.
		floating := rs[0]
		floating.Name = "流动人口信息"
		moving := create(t, src, src.gaj, floating)
		secret := create(t, src, src.gaj, rs[2])
		household := create(t, src, src.gaj, rs[0])
		rs[1].RelatedCodes = []string{household.Code, secret.Code}
		licence := create(t, src, src.gaj, rs[1])
		retired := rs[0]
		retired.Name = "旧户籍人口信息"
		old := create(t, src, src.gaj, retired)
		if err := src.db.Tx(context.Background(), func(tx *sqldb.Tx) error {
			ctx := context.Background()
			if _, err := catalog.Submit(ctx, tx, src.gaj, old.ID, t0); err != nil {
				return err
			}
			if _, err := catalog.Approve(ctx, tx, src.operator, old.ID, t0); err != nil {
				return err
			}
			if _, err := catalog.Retire(ctx, tx, src.gaj, old.ID, "合并", t0); err != nil {
				return err
			}
			_, err := catalog.ApproveRetire(ctx, tx, src.operator, old.ID, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{household.Name: household.Code, licence.Name: licence.Code, secret.Name: secret.Code,
			moving.Name: moving.Code}
		codes := func(w *world) map[string]string {
			t.Helper()
			page, err := catalog.Search(context.Background(), w.db.Read(), w.gaj, catalog.Query{DepartmentID: w.gajID,
				Statuses: []catalog.Status{catalog.Draft, catalog.Published, catalog.Retired}, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, s := range page.Items {
				out[s.Name] = s.Code
			}
			return out
		}
		for _, f := range []catalogio.Format{catalogio.XLSX, catalogio.CSV, catalogio.JSONL} {
			t.Run(string(f), func(t *testing.T) {
				data := export(t, src, src.gaj, f, catalogio.ExportOptions{DepartmentID: src.gajID})
				dst := newWorld(t, otherDB(t, db))
				rep, err := importFile(dst, dst.gaj, data, f, catalogio.Options{})
				if err != nil || rep.Created != 4 {
					t.Fatalf("import: created %d, err %v, errors %v (want 4, the retired entry left out)", rep.Created, err, rep.Errors)
				}
				if got := codes(dst); !maps.Equal(got, want) {
					t.Errorf("codes after import %v, want %v", got, want)
				}
				if got := resourcesOf(t, dst, dst.gaj)[licence.Name].RelatedCodes; !slices.Equal(got, rs[1].RelatedCodes) {
					t.Errorf("related codes %v, want %v", got, rs[1].RelatedCodes)
				}
				// The same file again: every entry found by its code, unchanged.
				rep, err = importFile(dst, dst.gaj, data, f, catalogio.Options{})
				if err != nil || rep.Unchanged != 4 || rep.Created+rep.Updated != 0 {
					t.Errorf("re-import: unchanged %d created %d updated %d, err %v", rep.Unchanged, rep.Created, rep.Updated, err)
				}
				// A new entry of the destination continues after the imported codes.
				next := rs[0]
				next.Name = "户籍人口变动信息"
				if e := create(t, dst, dst.gaj, next); e.Code != "101001/000003" {
					t.Errorf("next code %s, want 101001/000003", e.Code)
				}
			})
		}
		// A code of another classification, or one taken, is replaced.
		data := export(t, src, src.gaj, catalogio.JSONL, catalogio.ExportOptions{DepartmentID: src.gajID})
		data = bytes.Replace(data, []byte(`"code":"`+secret.Code), []byte(`"code":"101009/000001`), 1)
		dst := newWorld(t, otherDB(t, db))
		create(t, dst, dst.scj, rs[0]) // takes 流动人口信息's 101001/000001, hidden from the police as a draft
		rep, err := importFile(dst, dst.gaj, data, catalogio.JSONL, catalogio.Options{})
		if err != nil || rep.Created != 4 {
			t.Fatalf("import: created %d, err %v, errors %v", rep.Created, err, rep.Errors)
		}
		got := codes(dst)
		if got[secret.Name] != "202003/000001" || got[moving.Name] != "101001/000003" || got[household.Name] != household.Code ||
			got[licence.Name] != licence.Code {
			t.Errorf("codes %v: want new codes for the mismatched and the taken one, %s kept", got, licence.Code)
		}

		// Retired entries are exported when asked for.
		all := export(t, src, src.gaj, catalogio.JSONL, catalogio.ExportOptions{Statuses: []catalog.Status{catalog.Retired}})
		if n := bytes.Count(all, []byte("\n")); n != 1 || !bytes.Contains(all, []byte(old.Name)) {
			t.Errorf("export of retired entries: %s", all)
		}
	})
}

// TestCSVFormulaCells: the CSV export escapes every cell a spreadsheet
// would read as a formula, and the import gives the values back exactly.
func TestCSVFormulaCells(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		src := newWorld(t, db)
		r := resources()[1]
		r.Name = "=WEBSERVICE(A1)营业执照"
		r.Abstract = "+1 摘要"
		r.ShareScope = "-全区"
		r.Timeliness = "@SUM(A1)"
		r.OpenConditions = "'引号开头的条件"
		r.Items[1].Description = "=1+1"
		r.Items[2].Description = "'=已经带引号"
		create(t, src, src.gaj, r)
		want := resourcesOf(t, src, src.gaj)

		data, rows := exportCSVRows(t, src)
		for _, row := range rows[1:] {
			for _, c := range row {
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					t.Errorf("cell %q is not escaped", c)
				}
			}
		}
		dst := newWorld(t, otherDB(t, db))
		rep, err := importFile(dst, dst.gaj, data, catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 1 {
			t.Fatalf("import: created %d err %v errors %v", rep.Created, err, rep.Errors)
		}
		if diff := cmp.Diff(want, resourcesOf(t, dst, dst.gaj)); diff != "" {
			t.Errorf("catalog after CSV round trip differs (-want +got):\n%s", diff)
		}
		// A quote someone typed before ordinary text is kept.
		file := csvHeader + strings.Replace(good("引号"), ",摘要,", ",'摘要,", 1)
		rep, err = importFile(dst, dst.gaj, []byte(file), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 1 || resourcesOf(t, dst, dst.gaj)["引号"].Abstract != "'摘要" {
			t.Errorf("a typed quote: created %d err %v errors %v, abstract %q", rep.Created, err, rep.Errors,
				resourcesOf(t, dst, dst.gaj)["引号"].Abstract)
		}
	})
}

// TestPlaceholdersAgree: what the import clears as a placeholder the
// catalog refuses to store, so that every entry it holds comes back from its
// own export unchanged, in every format.
func TestPlaceholdersAgree(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		src := newWorld(t, db)
		for _, p := range []string{"无", "/", "-", "暂无", "N/A"} {
			r := resources()[0]
			r.Abstract, r.ShareScope, r.Timeliness = p, p, p
			err := src.db.Tx(context.Background(), func(tx *sqldb.Tx) error {
				_, err := catalog.Create(context.Background(), tx, src.gaj, src.gajID, r, t0)
				return err
			})
			if e := errs.As(err); e == nil || e.Code != "placeholder_value" {
				t.Errorf("entry with %q: got %v, want placeholder_value", p, err)
			}
		}
		r := resources()[0]
		r.Abstract, r.ShareScope, r.Timeliness = "无犯罪记录证明信息", "/各镇街", "-1天内"
		create(t, src, src.gaj, r)
		want := resourcesOf(t, src, src.gaj)
		for _, f := range []catalogio.Format{catalogio.XLSX, catalogio.CSV, catalogio.JSONL} {
			dst := newWorld(t, otherDB(t, db))
			data := export(t, src, src.gaj, f, catalogio.ExportOptions{})
			rep, err := importFile(dst, dst.gaj, data, f, catalogio.Options{})
			if err != nil || len(rep.Changes) != 0 {
				t.Fatalf("%s: err %v, changes %v, errors %v", f, err, rep.Changes, rep.Errors)
			}
			if diff := cmp.Diff(want, resourcesOf(t, dst, dst.gaj)); diff != "" {
				t.Errorf("%s round trip differs (-want +got):\n%s", f, diff)
			}
		}
	})
}

// TestServiceItemsRoundTrip: service items come back from their export
// exactly in every format, whatever separators and brackets their names
// hold, and importing the export again into the same database finds every
// entry unchanged.
func TestServiceItemsRoundTrip(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		src := newWorld(t, db)
		lists := [][]catalog.ServiceItem{
			{{Name: "事项B；带分号"}},
			{{Name: "户口登记（123）"}},
			{{Name: "户口迁移（省内）", Code: "11440605MB2C001"}, {Name: "补领结婚证、离婚证"}, {Name: "a;b|c"},
				{Name: `路径\；C:\data`}, {Name: "半角(A1)", Code: "A-1.2_3"}, {Name: "户口迁移（省内"}, {Name: "户口登记）"}},
		}
		for i, items := range lists {
			r := resources()[0]
			r.Name = fmt.Sprintf("户籍人口基本信息%d", i+1)
			r.ServiceItems = items
			create(t, src, src.gaj, r)
		}
		want := resourcesOf(t, src, src.gaj)
		for i, items := range lists {
			if got := want[fmt.Sprintf("户籍人口基本信息%d", i+1)].ServiceItems; !cmp.Equal(got, items) {
				t.Fatalf("stored service items %+v, want %+v", got, items)
			}
		}
		for _, f := range []catalogio.Format{catalogio.XLSX, catalogio.CSV, catalogio.JSONL} {
			t.Run(string(f), func(t *testing.T) {
				data := export(t, src, src.gaj, f, catalogio.ExportOptions{})
				rep, err := importFile(src, src.gaj, data, f, catalogio.Options{DryRun: true})
				if err != nil || rep.Unchanged != len(lists) || len(rep.Changes) != 0 {
					t.Errorf("re-import: unchanged %d updated %d, changes %+v, err %v; want all unchanged",
						rep.Unchanged, rep.Updated, rep.Changes, err)
				}
				dst := newWorld(t, otherDB(t, db))
				rep, err = importFile(dst, dst.gaj, data, f, catalogio.Options{})
				if err != nil || rep.Created != len(lists) {
					t.Fatalf("import: created %d, err %v, errors %v", rep.Created, err, rep.Errors)
				}
				if diff := cmp.Diff(want, resourcesOf(t, dst, dst.gaj)); diff != "" {
					t.Errorf("catalog after round trip differs (-want +got):\n%s", diff)
				}
			})
		}
	})
}

// TestRoundTripPerDepartment: an export of one department's entries
// imports back into it unchanged; an export of the whole catalog (the
// operator's) is refused by a department's import for the other
// departments' rows, with one error each that says what to do, with or
// without any_provider: the import updates only the importing department's
// entries.
func TestRoundTripPerDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		rs := resources()
		create(t, w, w.gaj, rs[0])
		create(t, w, w.gaj, rs[2])
		rs[1].RelatedCodes = nil // codes of no entry here, which its submission refuses
		theirs := create(t, w, w.scj, rs[1])
		// Published, so that the police can see it.
		err := w.db.Tx(context.Background(), func(tx *sqldb.Tx) error {
			if _, err := catalog.Submit(context.Background(), tx, w.scj, theirs.ID, t0); err != nil {
				return err
			}
			_, err := catalog.Approve(context.Background(), tx, w.operator, theirs.ID, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []catalogio.Format{catalogio.XLSX, catalogio.CSV, catalogio.JSONL} {
			own := export(t, w, w.operator, f, catalogio.ExportOptions{DepartmentID: w.gajID})
			rep, err := importFile(w, w.gaj, own, f, catalogio.Options{DryRun: true})
			if err != nil || rep.Unchanged != 2 || len(rep.Errors) != 0 {
				t.Errorf("%s: one department's export: unchanged %d, errors %v, err %v; want 2 unchanged", f, rep.Unchanged, rep.Errors, err)
			}

			all := export(t, w, w.operator, f, catalogio.ExportOptions{})
			for _, anyProvider := range []bool{false, true} {
				rep, err = importFile(w, w.gaj, all, f, catalogio.Options{DryRun: true, AnyProvider: anyProvider})
				if !catalogio.Rejected(err) || rep.Unchanged != 2 || rep.RowsWithErrors != 1 || len(rep.Errors) != 1 {
					t.Errorf("%s any_provider=%v: whole catalog: unchanged %d, rows with errors %d, errors %v, err %v; want 2 unchanged and one error",
						f, anyProvider, rep.Unchanged, rep.RowsWithErrors, rep.Errors, err)
					continue
				}
				e := rep.Errors[0]
				want := "属于南海区市场监督管理局，本次导入的是佛山市公安局南海分局的目录：只能导入本部门的数据资源；请只导出本部门的目录再导入，或删去其他部门的行"
				if e.Code != "code_of_other_department" || !strings.Contains(e.Message, want) {
					t.Errorf("%s any_provider=%v: got %s %q, want code_of_other_department …%s", f, anyProvider, e.Code, e.Message, want)
				}
			}
		}
	})
}

// exportCSVRows exports gaj's catalog of w as CSV, answering the file and
// its rows, the byte order mark left out.
func exportCSVRows(t *testing.T, w *world) ([]byte, [][]string) {
	t.Helper()
	data := export(t, w, w.gaj, catalogio.CSV, catalogio.ExportOptions{DepartmentID: w.gajID})
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return data, rows
}
